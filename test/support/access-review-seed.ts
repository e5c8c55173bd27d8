/**
 * A network where every access-review class is present, and the HR records that go with it: the fixture of the
 * access review's use-case and local-stack tests.
 */
import type { EmulatorSeed } from '../../infra/local/wickr-emulator/seed.js';
import { basisOf, type EmployeeRecords } from '../../lib/hr/employee-record.js';

export const reviewNetworkId = '12345678';
const day = 86_400;
/** The review's clock: sign-ins are dated from it. */
export const reviewNow = Date.parse('2026-11-30T06:00:00Z');
const daysAgo = (n: number) => Math.floor(reviewNow / 1000) - n * day;

/** Each user, and the class the review must give them. */
export const expectedClasses: Record<string, string> = {
  '2001': 'ok',
  '2002': 'wrong-group',
  '2003': 'leaver-active',
  '2004': 'orphan',
  '2005': 'exempt',
  '2006': 'inactive',
  '2007': 'pending-invite',
  '2008': 'invite-expired',
  '2009': 'admin',
  '2010': 'suspended',
  '2011': 'ok',
};

/** The network, plus `extra` generated active users nobody provisioned (orphans, for paging). */
export function reviewSeed(extra = 0): EmulatorSeed {
  const user = (userId: string, username: string, more: Record<string, unknown> = {}) => ({
    userId,
    username,
    securityGroupIds: ['sg-eng'],
    lastLogin: daysAgo(3),
    ...more,
  });
  return {
    networks: [
      {
        networkId: reviewNetworkId,
        networkName: 'Review',
        securityGroups: [
          { id: 'sg-eng', name: 'engineering', isDefault: true },
          { id: 'sg-sales', name: 'sales' },
        ],
        users: [
          user('2001', 'alice@example.com'),
          user('2002', 'bob@example.com', { securityGroupIds: ['sg-sales'] }),
          // A leaver HR suspended, whom an admin re-activated by hand.
          user('2003', 'carol@example.com'),
          user('2004', 'dave@example.com'),
          user('2005', 'svc-backup@example.com'),
          user('2006', 'erin@example.com', { lastLogin: daysAgo(200), lastActivity: daysAgo(120) }),
          user('2007', 'frank@example.com', { status: 1, lastLogin: undefined }),
          user('2008', 'gina@example.com', { status: 1, isInviteExpired: true, lastLogin: undefined }),
          user('2009', 'root-admin@example.com', { isAdmin: true }),
          user('2010', '=HYPERLINK("x")@example.com', { suspended: true }),
          user('2011', 'ivy@example.com', { suspended: true }),
          ...Array.from({ length: extra }, (_, i) => user(String(3000 + i), `extra-${i}@example.com`)),
        ],
        // Guests seen in two months (one blocked), and bots: in use, idle since spring, suspended.
        guests: [
          { usernameHash: 'h-partner', username: 'p@partner.example', billingPeriod: '2026-10' },
          { usernameHash: 'h-vendor', username: 'v@vendor.example', billingPeriod: '2026-11', blocked: true },
        ],
        bots: [
          { botId: '8001', username: 'deploy-bot', groupId: 'sg-eng', lastLogin: '2026-11-29T00:00:00Z' },
          { botId: '8002', username: 'old-bot', groupId: 'sg-eng', lastLogin: '2026-04-01T00:00:00Z' },
          { botId: '8003', username: 'off-bot', groupId: 'sg-eng', suspended: true },
        ],
      },
    ],
  } as EmulatorSeed;
}

/** The HR records: who this deployment provisioned, where HR places them, and who left. */
export async function provisionReviewEmployees(records: EmployeeRecords, prefix: string) {
  const people: [string, string, 'active' | 'left', 'active' | 'suspended'][] = [
    ['2001', 'sg-eng', 'active', 'active'],
    ['2002', 'sg-eng', 'active', 'active'],
    ['2003', 'sg-eng', 'left', 'suspended'],
    ['2006', 'sg-eng', 'active', 'active'],
    ['2007', 'sg-eng', 'active', 'active'],
    ['2008', 'sg-eng', 'active', 'active'],
    ['2010', 'sg-eng', 'active', 'active'],
    ['2011', 'sg-eng', 'left', 'suspended'],
  ];
  for (const [userId, groupId, state, status] of people) {
    const employeeId = `${prefix}-${userId}`;
    await records.recordFact({
      networkId: reviewNetworkId,
      employeeId,
      version: `2|0000000001|${state === 'left' ? '1' : '0'}`,
      time: '2026-11-01T00:00:00.000Z',
      eventId: 'hr',
      placement:
        state === 'left'
          ? { state: 'left' }
          : { state: 'active', department: 'Engineering', employmentType: 'EMPLOYEE', groupName: 'engineering' },
    });
    const claimed = await records.claim(reviewNetworkId, employeeId, 'test', Date.now() + 30_000, Date.now());
    if (!claimed) throw new Error('could not claim the record');
    await records.release(claimed, 'test', {
      userId,
      status,
      groupId,
      groupName: 'engineering',
      basis: basisOf(claimed),
    });
  }
}
