import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import { shardedContent } from './__fixtures__/sharded-kit.ts';

describeContentStoreContract('sharded filestore (3 shards, 2 copies)', (references) => shardedContent(references));
