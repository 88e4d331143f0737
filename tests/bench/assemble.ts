/** Turns the raw samples of a run into the results.json metrics and the rows of the table. */
import type { ColdStartSample } from './app';
import type { TableImport } from './loader';
import type { StorageFigures, UiFigures } from './phases';
import type { RelayBench } from './relayBench';
import type { MetricName, MetricResult, Row } from './report';
import { percentile, round, summarize, type Summary } from './stats';

export interface RawRun extends StorageFigures, UiFigures {
	scale: string;
	imports: TableImport[];
	/** True when the database came from a kept profile (--reuse) instead of a fresh import. */
	reused: boolean;
	idbBytes: number;
	coldRestart: ColdStartSample[];
	initialJsKb: number;
	initialJsFiles: number;
	relay: RelayBench;
}

/** Scan → DOM by how full the cart already was: the per-scan cost grows with the lines re-priced and re-rendered. */
function byCartSize(scans: RawRun['scans']): string {
	const parts: string[] = [];
	for (let from = 0; from < 20; from += 5) {
		const dom = scans.filter((x) => x.lines >= from && x.lines < from + 5).map((x) => x.dom);
		if (dom.length)
			parts.push(
				`${from}-${from + 4} lines: ${round(percentile(dom, 0.5), 1)}/${round(percentile(dom, 0.95), 1)}`
			);
	}
	return `${parts.join(', ')} (p50/p95 ms)`;
}

/** Median of each step of a cold start, in ms since navigation start. */
function splits(samples: readonly ColdStartSample[]): string {
	const p = (pick: (s: ColdStartSample) => number) => Math.round(percentile(samples.map(pick), 0.5));
	return (
		`HTML ${p((s) => s.responseEnd)}, DOMContentLoaded ${p((s) => s.domContentLoaded)}, ` +
		`app's first render ${p((s) => s.firstRender)}, staff list in DOM ${p((s) => s.dom)}, painted ${p((s) => s.painted)} (ms, p50)`
	);
}

function metric(
	value: number | null,
	unit: MetricResult['unit'],
	budget: number | null,
	floor?: number
): MetricResult {
	return {
		value: value === null ? null : round(value, 2),
		unit,
		budget,
		floor_ratio: value === null || !floor ? null : round(value / floor, 2)
	};
}

export function assemble(raw: RawRun): { metrics: Record<MetricName, MetricResult>; rows: Row[] } {
	const s = {
		strictPut: summarize(raw.floors.strictPutMs),
		rawGet: summarize(raw.floors.rawGetMs),
		raf: summarize(raw.floors.rafMs),
		cold: summarize(raw.coldReload.map((c) => c.painted)),
		coldRestart: summarize(raw.coldRestart.map((c) => c.painted)),
		scan: summarize(raw.scans.map((x) => x.painted)),
		scanDom: summarize(raw.scans.map((x) => x.dom)),
		commit: summarize(raw.commits.map((c) => c.ms)),
		relaxed: summarize(raw.relaxedCommits.map((c) => c.ms)),
		phone: summarize(raw.lookups.phoneMs),
		last4: summarize(raw.lookups.last4Ms),
		attach: summarize(raw.attaches.map((a) => a.painted)),
		attachDom: summarize(raw.attaches.map((a) => a.dom)),
		relayFloor: summarize(raw.relay.floorMs),
		relayRoundTrip: summarize(raw.relay.roundTripMs),
		fanout: summarize(raw.relay.fanoutMs),
		scanWork: summarize(raw.scans.map((x) => x.painted - x.frameWait)),
		scanWait: summarize(raw.scans.map((x) => x.frameWait)),
		attachWork: summarize(raw.attaches.map((a) => a.painted - a.frameWait))
	};
	const { offlineDay, rss } = raw.relay;
	const idbMb = raw.idbBytes / 1024 ** 2;
	const metrics: Record<MetricName, MetricResult> = {
		cold_start_ms: metric(s.cold.p50, 'ms', 1000),
		scan_to_line_p95_ms: metric(s.scan.p95, 'ms', 16, s.raf.p95),
		sale_commit_p95_ms: metric(s.commit.p95, 'ms', 10, s.strictPut.p95),
		member_phone_lookup_p95_ms: metric(s.phone.p95, 'ms', 5, s.rawGet.p95),
		member_last4_lookup_p95_ms: metric(s.last4.p95, 'ms', 5, s.rawGet.p95),
		member_attach_reprice_10_lines_ms: metric(s.attach.p95, 'ms', 16),
		offline_day_converge_ms: metric(offlineDay.convergedMs, 'ms', 3000, s.relayFloor.p95),
		relay_fanout_p95_ms: metric(s.fanout.p95, 'ms', null, s.relayFloor.p95),
		relay_rss_mb: {
			...metric(rss.mb, 'MB', null),
			note:
				`${rss.tills} tills connected, ${rss.sockets} sockets (one per document), ${rss.docs} documents loaded ` +
				`(${round(rss.docMb, 0)} MB encoded), idle CPU ${round(rss.idleCpuPercent, 1)} % of a core`
		},
		initial_js_gzip_kb: metric(raw.initialJsKb, 'KB', 150),
		idb_bytes_chain_l: metric(idbMb, 'MB', null)
	};
	if (raw.scale !== 'chain-L')
		metrics.idb_bytes_chain_l.note = `${raw.scale} data set (--quick), not chain-L`;
	const row = (label: string, name: MetricName, summary?: Summary, text?: string): Row => ({
		label,
		metric: name,
		result: metrics[name],
		...(summary ? { summary } : {}),
		...(text ? { text } : {})
	});
	const extra = (label: string, summary: Summary | undefined, text?: string): Row => ({
		label,
		...(summary ? { summary } : {}),
		...(text ? { text } : {})
	});
	const repriced = raw.attaches.filter((a) => a.repriced).length;
	const rows: Row[] = [
		row('cold start: reload → sign-in staff list painted (p50)', 'cold_start_ms', s.cold),
		extra('  reload steps', undefined, splits(raw.coldReload)),
		extra('  after a browser restart (not in results)', s.coldRestart, splits(raw.coldRestart)),
		extra(
			'  first visit, nothing cached (not in results)',
			summarize([raw.firstVisit.painted]),
			splits([raw.firstVisit])
		),
		row('scan → cart line painted, p95', 'scan_to_line_p95_ms', s.scan),
		extra('  scan → cart line in the DOM (no frame wait)', s.scanDom),
		extra('  scan → line painted, minus the wait for the next frame', s.scanWork),
		extra('  DOM updated → next frame starts (display cadence, not work)', s.scanWait),
		extra('  scan → DOM by lines already in the cart', undefined, byCartSize(raw.scans)),
		extra('  storage step: findSkuByBarcode', summarize(raw.splits.findSkuMs)),
		extra('  storage step: onHand (stock fold)', summarize(raw.splits.onHandMs)),
		extra('  storage step: saveCart (strict put, ≤ 20 lines)', summarize(raw.splits.saveCartMs)),
		row('durable sale commit (10 lines, 2 tenders), p95', 'sale_commit_p95_ms', s.commit),
		extra('  same commitSale, relaxed durability (diagnostic)', s.relaxed),
		row('member by phone, p95', 'member_phone_lookup_p95_ms', s.phone),
		row('members by last four digits (≤ 20), p95', 'member_last4_lookup_p95_ms', s.last4),
		row(
			'attach member by phone → repriced total painted (10 lines), p95',
			'member_attach_reprice_10_lines_ms',
			s.attach,
			repriced === raw.attaches.length ? undefined : `(${repriced}/${raw.attaches.length} repriced)`
		),
		extra('  attach member → repriced total in the DOM', s.attachDom),
		extra('  attach → total painted, minus the wait for the next frame', s.attachWork),
		row(
			"a branch's offline day (2,000 sales) converges",
			'offline_day_converge_ms',
			undefined,
			`(${offlineDay.sales} sales, ${offlineDay.ledgerEntries} ledger entries, ${offlineDay.outboxRows} outbox rows; ` +
				`all acknowledged after ${offlineDay.pushedMs} ms)`
		),
		row('relay fan-out to 100 tills of one document, p95', 'relay_fanout_p95_ms', s.fanout),
		extra('  one update through our relay, writer → reader', s.relayRoundTrip),
		// The metric's note already says sockets, documents and CPU.
		row(`relay RSS, ${rss.tills} tills connected`, 'relay_rss_mb'),
		row('initial JavaScript, gzip -9', 'initial_js_gzip_kb', undefined, `(${raw.initialJsFiles} files)`),
		row('IndexedDB usage after import', 'idb_bytes_chain_l'),
		extra('floor: strict IndexedDB put (raw IDB)', s.strictPut),
		extra('floor: indexed get (raw IDB)', s.rawGet),
		extra('floor: empty rAF → next frame', s.raf),
		extra('floor: Yjs update through a bare y-websocket relay', s.relayFloor)
	];
	for (const t of raw.imports)
		rows.push(
			extra(
				`import ${t.table}`,
				undefined,
				raw.reused
					? `${t.rows} rows (kept profile, not re-imported)`
					: `${t.rows} rows in ${round(t.ms / 1000, 1)} s = ${Math.round(t.rowsPerSec)} rows/s ` +
							`(page-bound ${Math.round((100 * t.waitMs) / t.ms)} %, in-page parse + validate + map ${round(t.parseMs / 1000, 1)} s)`
			)
		);
	return { metrics, rows };
}
