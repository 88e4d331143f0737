/**
 * `npm run test:sim`: the multi-branch simulation with its fixed budget (3 seeds x 2,000 operations, 20 devices in
 * 5 branches), printing one summary line. `--long` runs 10 seeds; SIM_SEEDS, SIM_OPS, SIM_DEVICES, SIM_BRANCHES
 * override. Exit code 1 when any seed does not converge (its problems go to stderr).
 *
 *   sim: devices=20 branches=5 ops=6000 seeds=3 converged=yes lost=0 duplicated=0
 */
import 'fake-indexeddb/auto';
import { runSimulation } from './sim';

const long = process.argv.includes('--long');
const num = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};
const seeds = num('SIM_SEEDS', long ? 10 : 3);
const ops = num('SIM_OPS', 2_000);
const devices = num('SIM_DEVICES', 20);
const branches = num('SIM_BRANCHES', 5);
const first = num('SIM_FIRST_SEED', 1);

let total = 0;
let converged = true;
let lost = 0;
let duplicated = 0;
for (let i = first; i < first + seeds; i++) {
	const result = await runSimulation({ seed: `sim-${i}`, devices, branches, ops });
	total += result.ops;
	lost += result.lost;
	duplicated += result.duplicated;
	if (!result.converged) {
		converged = false;
		console.error(`seed sim-${i}: ${result.problems.slice(0, 10).join('\n  ')}`);
	}
	if (process.env.SIM_VERBOSE)
		console.error(
			`seed sim-${i}: ${result.ops} ops, ${result.ms} ms, ${result.entries} entries, ${result.overdrawn} overdrawn, ` +
				`${result.duplicatePhones} duplicate phones left, ${JSON.stringify(result.stats)}`
		);
}
console.log(
	`sim: devices=${devices} branches=${branches} ops=${total} seeds=${seeds} converged=${converged ? 'yes' : 'no'} lost=${lost} duplicated=${duplicated}`
);
process.exit(converged ? 0 : 1);
