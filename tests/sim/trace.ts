/**
 * Debugging aid for the simulation (SIM_TRACE=1): every write to each device's members table and every batch
 * the materializer saw for a member, so a diverging member's history can be printed when the checks fail.
 */
import type { BranchlineDb } from '../../src/lib/storage/db';
import { materialize } from '../../src/lib/sync/materialize';
import type { EngineOptions } from '../../src/lib/sync/engine';

export class MemberTrace {
	private readonly lines = new Map<string, string[]>();

	private add(id: string, line: string): void {
		const list = this.lines.get(id) ?? [];
		list.push(`${Date.now() % 100_000} ${line}`);
		this.lines.set(id, list);
	}

	watch(db: BranchlineDb): void {
		db.members.hook('creating', (_key, obj) =>
			this.add(obj.id, `create ${obj.updatedAt} ${obj.notes}|${obj.phone}`)
		);
		db.members.hook('updating', (mods, key, obj) => {
			const m = mods as Record<string, unknown>;
			this.add(
				String(key),
				`update ${String(m.updatedAt ?? obj.updatedAt)} ${String(m.notes ?? obj.notes)} (was ${obj.updatedAt})`
			);
			return undefined;
		});
	}

	materializer(): NonNullable<EngineOptions['materializer']> {
		return async (db, changes, opts) => {
			for (const c of changes)
				if (c.key.startsWith('members/')) {
					const cur = c.current as Record<string, unknown> | undefined;
					const seen = (c.seen as Record<string, unknown>[]).map(
						(s) => `${String(s.updatedAt)}/${String(s.writtenBy)}`
					);
					this.add(
						c.key.slice(8),
						`batch: doc ${String(cur?.updatedAt)} ${String(cur?.notes)} by ${String(cur?.writtenBy)}; seen ${seen.join(',')}`
					);
				}
			try {
				const result = await materialize(db, changes, opts);
				for (const r of result.reassert)
					if (r.key.startsWith('members/'))
						this.add(r.key.slice(8), `reassert ${String(r.value.record.updatedAt)}`);
				return result;
			} catch (error) {
				for (const c of changes)
					if (c.key.startsWith('members/')) this.add(c.key.slice(8), `batch failed: ${String(error)}`);
				throw error;
			}
		};
	}

	history(id: string): string[] {
		return this.lines.get(id) ?? [];
	}
}
