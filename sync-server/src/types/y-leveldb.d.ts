/**
 * y-leveldb 0.2.0 ships typings but its package.json "exports" does not point at them, so NodeNext resolution
 * cannot see them. This declares the part the relay uses (see relay/persistence.ts).
 */
declare module 'y-leveldb' {
	import type * as Y from 'yjs';

	export class LeveldbPersistence {
		constructor(location: string, options?: { Level?: unknown; levelOptions?: object });
		/** Runs `f` after every earlier operation; errors inside are logged and resolve to null. */
		_transact<T>(f: (db: never) => Promise<T>): Promise<T | null>;
		getYDoc(docName: string): Promise<Y.Doc | null>;
		storeUpdate(docName: string, update: Uint8Array): Promise<number | null>;
		flushDocument(docName: string): Promise<void>;
		getAllDocNames(): Promise<string[] | null>;
		destroy(): Promise<void>;
	}
}
