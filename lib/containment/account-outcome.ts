/** What a containment fact came to, for one account (a user's or a guest's). */
export type AccountOutcome =
  | {
      readonly result: 'contained' | 'released' | 'unchanged' | 'refused' | 'held';
      readonly networkId: string;
      readonly userId: string;
    }
  | { readonly result: 'unresolved'; readonly reason: string };
