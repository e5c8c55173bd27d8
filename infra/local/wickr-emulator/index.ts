export { EmulatorError, EmulatorState } from './emulator-state.js';
export { FaultConfig, type FaultConfigInput } from './faults.js';
export { demoSeed, EmulatorSeed } from './seed.js';
export { type JournalEntry, startWickrEmulator, type WickrEmulator, type WickrEmulatorOptions } from './server.js';
