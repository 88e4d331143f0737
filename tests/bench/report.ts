/** bench/results.json, the markdown table (terminal and README's "## Performance" table body) and machine facts. */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { format, resolveConfig } from 'prettier';
import { round, type Summary } from './stats';

export type Unit = 'ms' | 'KB' | 'MB';

export interface MetricResult {
	value: number | null;
	unit: Unit;
	budget: number | null;
	floor_ratio: number | null;
	note?: string;
}

export const METRIC_NAMES = [
	'cold_start_ms',
	'scan_to_line_p95_ms',
	'sale_commit_p95_ms',
	'member_phone_lookup_p95_ms',
	'member_last4_lookup_p95_ms',
	'member_attach_reprice_10_lines_ms',
	'offline_day_converge_ms',
	'relay_fanout_p95_ms',
	'relay_rss_mb',
	'initial_js_gzip_kb',
	'idb_bytes_chain_l'
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface Machine {
	cpu: string;
	cores: number;
	memGb: number;
	node: string;
	chromium: string;
	os: string;
}

export interface Results {
	machine: Machine;
	metrics: Record<MetricName, MetricResult>;
}

/** One line of the table: a metric (or a floor / extra figure) with its distribution when it has one. */
export interface Row {
	label: string;
	metric?: MetricName;
	summary?: Summary;
	/** Shown instead of a distribution (sizes, null metrics, what the value is). */
	text?: string;
	result?: MetricResult;
}

export function machine(chromium: string): Machine {
	let release = `${os.type()} ${os.release()}`;
	try {
		const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
		if (pretty) release = `${pretty} (${os.type()} ${os.release()})`;
	} catch {
		// not Linux: keep os.type()/release()
	}
	return {
		cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
		cores: os.cpus().length,
		memGb: round(os.totalmem() / 1024 ** 3, 1),
		node: process.version,
		chromium,
		os: release
	};
}

export function missesBudget(m: MetricResult): boolean {
	return m.value !== null && m.budget !== null && m.value > m.budget;
}

const num = (n: number | undefined | null, unit = '') =>
	n === undefined || n === null || Number.isNaN(n)
		? '–'
		: `${n >= 100 ? Math.round(n) : round(n, n < 10 ? 2 : 1)}${unit}`;

function status(r: MetricResult | undefined): string {
	if (!r || r.budget === null) return '';
	if (r.value === null) return 'n/a';
	return missesBudget(r) ? 'MISS' : 'ok';
}

export function markdownTable(rows: readonly Row[]): string {
	const head = ['measure', 'p50', 'p95', 'max', 'n', 'value', 'budget', 'floor ×', 'status'];
	const lines = [head, head.map(() => '---')];
	for (const row of rows) {
		const r = row.result;
		const s = row.summary;
		lines.push([
			row.metric ? `${row.label} (\`${row.metric}\`)` : row.label,
			num(s?.p50),
			num(s?.p95),
			num(s?.max),
			s ? String(s.n) : '',
			r ? (r.value === null ? 'null' : `${num(r.value)} ${r.unit}`) : (row.text ?? ''),
			r?.budget !== null && r?.budget !== undefined ? `≤ ${r.budget} ${r.unit}` : '',
			r?.floor_ratio !== null && r?.floor_ratio !== undefined ? `${num(r.floor_ratio)}×` : '',
			status(r) + (r?.note ? ` ${r.note}` : '') + (r && row.text ? ` ${row.text}` : '')
		]);
	}
	return lines
		.map((cells) => `| ${cells.map((c) => c.trim().replace(/\|/g, '\\|')).join(' | ')} |`)
		.join('\n');
}

export function machineLine(m: Machine, scale: string, when: Date, loads: readonly number[] = []): string {
	const load = loads.length
		? `; 1-min load average ${round(Math.min(...loads), 1)}–${round(Math.max(...loads), 1)} while measuring`
		: '';
	return `${scale}, ${when.toISOString().slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memGb} GB RAM, Node ${m.node}, Chromium ${m.chromium}, ${m.os}${load}`;
}

export async function writeResults(file: string, results: Results): Promise<void> {
	await writeFile(file, JSON.stringify(results, null, '\t') + '\n');
}

/**
 * README's own columns (measure | budget | measured), for the metrics and the floors only (the terminal table has
 * the splits and diagnostics): the distribution goes into "measured".
 */
export function readmeRows(rows: readonly Row[], machineText: string): string[] {
	const escape = (c: string) => c.replace(/\|/g, '\\|');
	const out = rows
		.filter((row) => row.metric || row.label.startsWith('floor'))
		.map((row) => {
			const r = row.result;
			const s = row.summary;
			const label = row.metric ? `${row.label} (\`${row.metric}\`)` : row.label;
			const budget = r?.budget !== null && r?.budget !== undefined ? `≤ ${r.budget} ${r.unit}` : '–';
			const value = r ? (r.value === null ? 'null' : `${num(r.value)} ${r.unit}`) : '';
			const state = status(r) === 'MISS' ? '**over budget**' : '';
			const spread = s ? `p50 ${num(s.p50)}, p95 ${num(s.p95)}, max ${num(s.max)}, n=${s.n}` : '';
			const ratio = r?.floor_ratio ? `${num(r.floor_ratio)}× floor` : '';
			const detail = [spread, ratio].filter(Boolean).join('; ');
			const measured = [value, state, detail ? `(${detail})` : '', r?.note ?? '', row.text ?? '']
				.filter(Boolean)
				.join(' ');
			return `| ${[label, budget, measured || '–'].map(escape).join(' | ')} |`;
		});
	out.push(`| machine | – | ${escape(machineText)} |`);
	return out;
}

/**
 * README: replaces only the body of the first table in "## Performance" (its header is kept), or appends the
 * section with the machine line when it is missing. The table goes through prettier so `npm run lint` stays green.
 */
export async function updateReadme(readme: string, body: string[], machineText: string): Promise<void> {
	const text = await readFile(readme, 'utf8');
	const lines = text.split('\n');
	const config = (await resolveConfig(readme)) ?? {};
	const pretty = async (md: string) => (await format(md, { ...config, parser: 'markdown' })).trimEnd();
	const defaultHeader = ['| measure | budget | measured |', '| --- | --- | --- |'];
	const heading = lines.findIndex((l) => /^##\s+Performance\s*$/.test(l));
	if (heading < 0) {
		const table = await pretty([...defaultHeader, ...body].join('\n'));
		await writeFile(readme, `${text.trimEnd()}\n\n## Performance\n\n${machineText}\n\n${table}\n`);
		return;
	}
	let end = lines.findIndex((l, i) => i > heading && /^##\s/.test(l));
	if (end < 0) end = lines.length;
	const start = lines.findIndex((l, i) => i > heading && i < end && l.startsWith('|'));
	if (start < 0) {
		lines.splice(end, 0, await pretty([...defaultHeader, ...body].join('\n')), '');
	} else {
		let stop = start;
		while (stop < end && lines[stop]?.startsWith('|')) stop++;
		const header = lines.slice(start, start + 2);
		lines.splice(start, stop - start, await pretty([...header, ...body].join('\n')));
	}
	await writeFile(readme, lines.join('\n'));
}
