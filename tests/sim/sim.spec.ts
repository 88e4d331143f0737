import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { materialize } from '../../src/lib/sync/materialize';
import { runSimulation } from './sim';

// The fixed budget inside `npm test`: 3 seeds x 1,200 operations, 20 devices in 5 branches — 50-75 s on 2 cores,
// so the whole unit suite stays within 2 minutes. `npm run test:sim` runs 3 x 2,000 (about 100 s), `--long` 10.
const SEEDS = ['sim-1', 'sim-2', 'sim-3'];
const OPS = Number(process.env.SIM_OPS) || 1_200;

describe('multi-branch simulation', () => {
	it('converges after partitions, loss, duplication, reordering and restarts, losing and duplicating nothing', async () => {
		let ops = 0;
		for (const seed of SEEDS) {
			const result = await runSimulation({ seed, devices: 20, branches: 5, ops: OPS });
			expect(result.problems, seed).toEqual([]);
			expect(result).toMatchObject({ converged: true, lost: 0, duplicated: 0 });
			ops += result.ops;
		}
		console.log(
			`sim: devices=20 branches=5 ops=${ops} seeds=${SEEDS.length} converged=yes lost=0 duplicated=0`
		);
	}, 240_000);

	it('fails when the materializer drops a table (the checks can see a broken read path)', async () => {
		const result = await runSimulation({
			seed: 'broken-1',
			devices: 6,
			branches: 3,
			ops: 300,
			settleMs: 10_000,
			engine: {
				materializer: (db, changes, opts) =>
					materialize(
						db,
						changes.filter((c) => !c.doc.includes('/ledger/')),
						opts
					)
			}
		});
		expect(result.converged).toBe(false);
		expect(result.lost).toBeGreaterThan(0);
		expect(result.problems.join('\n')).toMatch(/ledger differs|balance of/);
	}, 120_000);

	it('fails when the materializer sometimes drops member profiles', async () => {
		let calls = 0;
		const result = await runSimulation({
			seed: 'broken-2',
			devices: 6,
			branches: 3,
			ops: 300,
			settleMs: 10_000,
			engine: {
				materializer: (db, changes, opts) =>
					materialize(
						db,
						// Every other batch loses its member profiles: a read path that is only sometimes wrong.
						++calls % 2 ? changes : changes.filter((c) => !c.key.startsWith('members/')),
						opts
					)
			}
		});
		expect(result.converged).toBe(false);
		expect(result.problems.join('\n')).toMatch(/members differs/);
	}, 120_000);
});
