/**
 * The documents an engine has open: the watched set (layout.ts deviceDocs, renewed at each new month) and the
 * documents opened only to write a record of another month, let go once nothing waits on them.
 */
import { docName, type DocRef } from './protocol';
import { DocHandle, type DocEvents, type PersistenceFactory, type TransportOptions } from './docs';

export interface DocSetOptions {
	persistence: PersistenceFactory | null;
	/** The relay connection, or null to run without one; read at each open (the token may have changed). */
	transport(): TransportOptions | null;
	events: DocEvents;
	/** Runs after the local load and before connecting (the engine's checkpoint check). */
	loaded(handle: DocHandle): Promise<void>;
	/** Whether new documents should connect now (not while stopping, not while staff work offline). */
	connectable(): { running: boolean; online: boolean };
}

export class DocSet {
	readonly docs = new Map<string, DocHandle>();
	private readonly opening = new Map<string, Promise<DocHandle>>();

	constructor(private readonly opts: DocSetOptions) {}

	get(name: string): DocHandle | undefined {
		return this.docs.get(name);
	}

	/** Opens (or returns) a document; `watched` documents stay open, the others only while rows wait on them. */
	open(ref: DocRef, name = docName(ref), watched = false): Promise<DocHandle> {
		const open = this.docs.get(name);
		if (open) {
			if (watched) open.watched = true;
			return Promise.resolve(open);
		}
		let pending = this.opening.get(name);
		if (!pending) {
			pending = DocHandle.open(ref, name, watched, this.opts.persistence, this.opts.events).then(
				async (handle) => {
					await this.opts.loaded(handle);
					const transport = this.opts.transport();
					const { running, online } = this.opts.connectable();
					if (transport && running) {
						handle.connect(transport, this.opts.events);
						if (!online) handle.setOnline(false);
					}
					this.docs.set(name, handle);
					this.opening.delete(name);
					return handle;
				}
			);
			this.opening.set(name, pending);
		}
		return pending;
	}

	/** Makes `refs` the watched set: opens what is missing, stops watching the rest. */
	async watch(refs: readonly DocRef[]): Promise<void> {
		const wanted = new Map(refs.map((ref) => [docName(ref), ref]));
		for (const handle of this.docs.values()) if (!wanted.has(handle.name)) handle.watched = false;
		await Promise.all([...wanted].map(([name, ref]) => this.open(ref, name, true)));
	}

	/** Closes the documents nobody watches and no row waits on. */
	async closeIdle(waiting: ReadonlySet<string>): Promise<void> {
		for (const [name, handle] of this.docs)
			if (!handle.watched && !waiting.has(name)) {
				this.docs.delete(name);
				await handle.destroy();
			}
	}

	/** The open ledger documents by member shard (a ledger entry id may sit in two months). */
	ledgerByShard(): Map<number, DocHandle[]> {
		const byShard = new Map<number, DocHandle[]>();
		for (const h of this.docs.values()) {
			if (h.ref.kind !== 'ledger') continue;
			const list = byShard.get(h.ref.shard ?? 0);
			if (list) list.push(h);
			else byShard.set(h.ref.shard ?? 0, [h]);
		}
		return byShard;
	}

	watched(): DocHandle[] {
		return [...this.docs.values()].filter((h) => h.watched);
	}

	setOnline(online: boolean): void {
		for (const handle of this.docs.values()) handle.setOnline(online);
	}

	setToken(token: string): void {
		for (const handle of this.docs.values()) handle.setToken(token);
	}

	async destroy(): Promise<void> {
		await Promise.all([...this.opening.values()]);
		await Promise.all([...this.docs.values()].map((h) => h.destroy()));
		this.docs.clear();
	}
}
