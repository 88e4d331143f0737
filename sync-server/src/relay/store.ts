/**
 * What a room needs from persistence, whatever the backend: LevelDB (persistence.ts, the embedded default)
 * or PostgreSQL (postgres-store.ts, for several relays sharing one chain). The contract every backend keeps:
 * `append` resolves only once the update is durable ("acknowledged = persisted"), and `load` returns the
 * merge of everything appended and compacted so far. Replaying an update twice is harmless (Yjs updates are
 * idempotent), so a crash between two steps of a compaction never loses data.
 */
import type * as Y from 'yjs';

export type StoreKind = 'leveldb' | 'postgres';

export interface DocumentStore {
	readonly kind: StoreKind;
	/** The persisted state of a document (an empty doc when it was never written). */
	load(name: string): Promise<Y.Doc>;
	/** Appends one update; resolves only once it is durable. */
	append(name: string, update: Uint8Array): Promise<void>;
	/** Merges a document's records into one (cheaper loads, less space). */
	compact(name: string): Promise<void>;
	documentNames(): Promise<string[]>;
	/** Waits for queued writes, then releases the backend. */
	close(): Promise<void>;
}

export class PersistenceError extends Error {
	override name = 'PersistenceError';
}
