import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ChainLink, genesisValue, ownerOf, streamOf, streamsPerOwner } from '../audit/chain-link.js';
import { ChainContendedError } from '../audit/errors.js';
import type { ChainHeads, LinkPlace } from '../audit/ports.js';
import type { AnchoredHead } from '../audit/verify-trail.js';
import { conditionally } from './dynamodb-client.js';
import { queryPages } from './query-pages.js';

type Head = Pick<ChainLink, 'seq' | 'value' | 'at'>;

// The partition is the owner's: IAM lets each function write only `CHAIN#<its own name>`.
const key = (stream: string) => ({ pk: `CHAIN#${ownerOf(stream)}`, sk: stream });
const maxAttempts = 25;

/**
 * Each stream's chain head in the state table (`CHAIN#<function>` / stream: seq, value, at), moved by a conditional
 * write from the head read. An environment keeps to one stream of its function (drawn at random) and remembers the
 * head it wrote: in the common case one write per outcome, no read. Where the head moved under it (another
 * environment writes there too), it moves to another stream and reads that head: environments settle apart.
 */
export class ChainHeadStore implements ChainHeads {
  readonly #known = new Map<string, Head>();
  #slot: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowMs: () => number = Date.now,
    random: () => number = Math.random,
  ) {
    this.#random = random;
    this.#slot = Math.floor(random() * streamsPerOwner);
  }

  readonly #random: () => number;

  async #read(stream: string): Promise<Head | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(stream), ConsistentRead: true }),
    );
    return Item ? { seq: Number(Item.seq), value: String(Item.value), at: String(Item.at) } : undefined;
  }

  async next(owner: string, value: (place: LinkPlace, prev: string) => string): Promise<ChainLink> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const stream = streamOf(owner, this.#slot);
      const head = this.#known.has(stream) ? this.#known.get(stream) : await this.#read(stream);
      // Never before the link ahead of it, whatever this environment's clock says.
      const at = new Date(Math.max(this.nowMs(), head ? Date.parse(head.at) : 0)).toISOString();
      const place = { stream, seq: (head?.seq ?? 0) + 1, at };
      const link = { ...place, value: value(place, head?.value ?? genesisValue) };
      const written = await conditionally(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key(stream), seq: link.seq, value: link.value, at: link.at },
            ConditionExpression: head ? 'seq = :seq' : 'attribute_not_exists(pk)',
            ...(head ? { ExpressionAttributeValues: { ':seq': head.seq } } : {}),
          }),
        ),
      );
      if (written) {
        this.#known.set(stream, link);
        return link;
      }
      this.#known.delete(stream);
      this.#slot += 1 + Math.floor(this.#random() * (streamsPerOwner - 1));
    }
    throw new ChainContendedError(owner);
  }

  async heads(owners: readonly string[]): Promise<AnchoredHead[]> {
    const heads: AnchoredHead[] = [];
    for (const owner of owners) {
      for await (const page of queryPages(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CHAIN#${owner}` },
        ConsistentRead: true,
      })) {
        for (const item of page.Items ?? []) {
          heads.push({ stream: String(item.sk), seq: Number(item.seq), value: String(item.value) });
        }
      }
    }
    return heads;
  }
}
