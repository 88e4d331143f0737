import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyBarcode } from '../domain/barcode';
import { levelPrice, pinyinInitials } from './catalog';
import { demoChainStreams, generateDemoChain, type DemoChain } from './generator';
import { MOBILE_PHONE } from './people';
import { SCALES } from './scales';
import { fen } from '../domain/money';
import { parseDemoSeed } from '../schema/seed';

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const take = <T>(iterable: Iterable<T>, n: number): T[] => {
	const out: T[] = [];
	for (const item of iterable) {
		if (out.length === n) break;
		out.push(item);
	}
	return out;
};
const isMoney = (n: number) => Number.isSafeInteger(n) && n >= 0;

let chain: DemoChain;
beforeAll(() => {
	chain = generateDemoChain({ scale: 'demo' });
});

describe('generateDemoChain: determinism', () => {
	it('gives identical output for the same seed', () => {
		const again = generateDemoChain({ seed: 'branchline-demo', scale: 'demo' });
		expect(again).toEqual(chain);
		expect(sha(again)).toBe(sha(chain));
	});

	it('gives different output for a different seed', () => {
		const other = generateDemoChain({ seed: 'another-chain' });
		expect(sha(other)).not.toBe(sha(chain));
		expect(other.chain.id).not.toBe(chain.chain.id);
		expect(other.members[0]?.phone).not.toBe(chain.members[0]?.phone);
		expect(other.variants[0]?.barcode).not.toBe(chain.variants[0]?.barcode);
	});

	it('streams the first records of chain-M identically on every run', () => {
		const first = () => {
			const s = demoChainStreams({ scale: 'chain-M', seed: 'stream-check' });
			return sha({
				catalog: take(s.catalog(), 40),
				members: take(s.members(), 40),
				stock: take(s.stock(), 40),
				history: take(s.history(), 60)
			});
		};
		expect(first()).toBe(first());
	});

	it("passes the app's seed validator after a JSON round trip", () => {
		const parsed = parseDemoSeed(JSON.parse(JSON.stringify(chain)));
		expect(parsed.ok ? [] : parsed.problems).toEqual([]);
	});

	it('rejects an unknown scale or an empty seed', () => {
		expect(() => generateDemoChain({ scale: 'huge' as never })).toThrow(/unknown demo scale/);
		expect(() => generateDemoChain({ seed: '' })).toThrow(/non-empty/);
	});
});

describe('generateDemoChain: demo scale', () => {
	it('has the demo counts', () => {
		const spec = SCALES.demo;
		expect(chain.version).toBe(1);
		expect(chain.branches).toHaveLength(2);
		expect(chain.styles).toHaveLength(spec.styles);
		expect(chain.variants).toHaveLength(spec.skus);
		expect(chain.members).toHaveLength(spec.members);
		expect(chain.pastSales).toHaveLength(spec.pastSales);
		expect(chain.ledger).toHaveLength(spec.ledgerEntries);
		expect(chain.stock).toHaveLength(chain.counts.stock);
		expect(chain.counts.variants).toBe(chain.variants.length);
		expect(chain.categories.map((c) => c.name)).toEqual([
			'T恤',
			'衬衫',
			'卫衣',
			'毛衫',
			'外套',
			'羽绒服',
			'裤装',
			'牛仔',
			'连衣裙',
			'半身裙',
			'配饰',
			'袜子'
		]);
		expect(chain.levels.map((l) => l.rank)).toEqual([0, 1, 2, 3]);
		expect(chain.settings).toEqual({
			rounding: 'jiao',
			promotionsStackWithLevelPrice: true,
			allowNegativeStock: true
		});
	});

	it('has unique ids in every table', () => {
		for (const rows of [
			chain.branches,
			chain.styles,
			chain.variants,
			chain.stock,
			chain.members,
			chain.staff,
			chain.promotions,
			chain.pastSales,
			chain.ledger
		]) {
			expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
		}
		expect(new Set(chain.styles.map((s) => s.code)).size).toBe(chain.styles.length);
		expect(new Set(chain.pastSales.map((s) => s.number)).size).toBe(chain.pastSales.length);
	});

	it('gives every variant a valid, unique EAN-13 starting 69 and an existing style', () => {
		const styles = new Set(chain.styles.map((s) => s.id));
		const barcodes = new Set<string>();
		for (const v of chain.variants) {
			expect(classifyBarcode(v.barcode)).toBe('ean13');
			expect(v.barcode.startsWith('69')).toBe(true);
			barcodes.add(v.barcode);
			expect(styles.has(v.styleId)).toBe(true);
		}
		expect(barcodes.size).toBe(chain.variants.length);
		const styled = new Set(chain.variants.map((v) => v.styleId));
		expect(styled.size).toBe(chain.styles.length);
	});

	it('prices in integer fen ending in 9 yuan, level prices below retail and by rank', () => {
		const rankOf = new Map(chain.levels.map((l) => [l.id, l.rank]));
		const categories = new Set(chain.categories.map((c) => c.id));
		for (const s of chain.styles) {
			expect(categories.has(s.categoryId)).toBe(true);
			expect(isMoney(s.retailPrice)).toBe(true);
			expect(s.retailPrice % 1000).toBe(900);
			const byRank = Object.entries(s.levelPrices).sort(
				(a, b) => (rankOf.get(a[0]) ?? 0) - (rankOf.get(b[0]) ?? 0)
			);
			let previous = s.retailPrice;
			for (const [levelId, price] of byRank) {
				expect(rankOf.get(levelId)).toBeGreaterThan(0);
				expect(isMoney(price)).toBe(true);
				expect(price).toBeLessThan(previous);
				expect(price).toBeGreaterThanOrEqual(Math.floor(s.retailPrice * 0.8));
				previous = price;
			}
			expect(s.pinyinInitials).toMatch(/^[a-z0-9]+$/);
			expect(['2026SS', '2026AW']).toContain(s.season);
			expect(s.code).toMatch(/^BL26[SA]-\d{4,}$/);
		}
		const newShare = chain.styles.filter((s) => s.isNewArrival).length / chain.styles.length;
		expect(newShare).toBeGreaterThan(0.08);
		expect(newShare).toBeLessThan(0.22);
	});

	it('computes pinyin initials and level prices as documented', () => {
		expect(pinyinInitials('纯棉圆领T恤')).toBe('cmyltx');
		expect(pinyinInitials('修身牛仔裤')).toBe('xsnzk');
		expect(levelPrice(fen(12_900), 1)).toBe(12_200);
		expect(levelPrice(fen(12_900), 0)).toBeUndefined();
	});

	it('gives members valid, unique mainland mobiles and existing levels and branches', () => {
		const levels = new Set(chain.levels.map((l) => l.id));
		const branches = new Set(chain.branches.map((b) => b.id));
		for (const m of chain.members) {
			expect(m.phone).toMatch(MOBILE_PHONE);
			expect(levels.has(m.levelId)).toBe(true);
			expect(branches.has(m.homeBranchId)).toBe(true);
			expect(m.createdAt).toBeLessThan(chain.asOf);
		}
		expect(new Set(chain.members.map((m) => m.phone)).size).toBe(chain.members.length);
		expect(new Set(chain.members.map((m) => m.code)).size).toBe(chain.members.length);
	});

	it('has promotions that reference existing categories', () => {
		const categories = new Set(chain.categories.map((c) => c.id));
		for (const p of chain.promotions) {
			for (const id of [...(p.scope.categoryIds ?? []), ...(p.scope.excludeCategoryIds ?? [])]) {
				expect(categories.has(id)).toBe(true);
			}
		}
		const kinds = chain.promotions.map((p) => `${p.rule.kind}/${p.stacking}`);
		expect(kinds).toEqual(
			expect.arrayContaining([
				'spendSave/stackable',
				'percentOff/stackable',
				'nthItem/exclusive',
				'buyNGetM/exclusive'
			])
		);
		expect(chain.promotions.some((p) => p.membersOnly)).toBe(true);
		expect(new Set(chain.promotions.map((p) => p.priority)).size).toBe(chain.promotions.length);
	});

	it('has the demo staff PINs', () => {
		const pins = (role: string) => chain.staff.filter((s) => s.role === role).map((s) => s.pin);
		expect(pins('owner')).toEqual(['0000']);
		expect(pins('manager')).toEqual(['1234']);
		expect(pins('cashier')).toEqual(['1111', '1111', '1111']);
		for (const branch of chain.branches) {
			expect(chain.staff.some((s) => s.role === 'cashier' && s.branchIds.join() === branch.id)).toBe(true);
		}
	});

	it('has opening stock per branch with some SKUs at 0 and at 1', () => {
		const skus = new Set(chain.variants.map((v) => v.id));
		for (const branch of chain.branches) {
			const rows = chain.stock.filter((m) => m.branchId === branch.id);
			for (const m of rows) {
				expect(skus.has(m.skuId)).toBe(true);
				expect(m.kind).toBe('receive');
				expect(m.qty).toBeGreaterThan(0);
			}
			const stocked = new Set(rows.map((m) => m.skuId));
			expect(stocked.size).toBe(rows.length);
			expect(skus.size - stocked.size).toBeGreaterThan(0); // SKUs at 0
			expect(rows.some((m) => m.qty === 1)).toBe(true);
		}
	});

	it('has a consistent history: valid references, exact tenders, non-negative balances', () => {
		const skus = new Set(chain.variants.map((v) => v.id));
		const members = new Map(chain.members.map((m) => [m.id, m]));
		const devices = new Set(chain.devices.map((d) => d.id));
		let lastSale = 0;
		for (const sale of chain.pastSales) {
			expect(sale.createdAt).toBeGreaterThanOrEqual(lastSale);
			expect(sale.createdAt).toBeLessThan(chain.asOf);
			lastSale = sale.createdAt;
			expect(devices.has(sale.deviceId)).toBe(true);
			for (const line of sale.lines) expect(skus.has(line.skuId)).toBe(true);
			const lineTotal = sale.lines.reduce((s, l) => s + l.total, 0);
			expect(sale.total).toBe(lineTotal);
			expect(sale.listTotal - sale.discountTotal).toBe(sale.total);
			expect(sale.tenders.reduce((s, t) => s + t.amount, 0)).toBe(sale.total);
			if (sale.memberId) expect(members.get(sale.memberId)?.createdAt).toBeLessThanOrEqual(sale.createdAt);
		}
		const points = new Map<string, number>();
		const stored = new Map<string, number>();
		const seqs = new Map<string, number>();
		let last = 0;
		for (const e of chain.ledger) {
			expect(e.createdAt).toBeGreaterThanOrEqual(last);
			last = e.createdAt;
			expect(Number.isSafeInteger(e.amount) && e.amount > 0).toBe(true);
			expect(members.get(e.memberId)?.createdAt).toBeLessThanOrEqual(e.createdAt);
			expect(e.seq).toBe((seqs.get(e.deviceId) ?? 0) + 1);
			seqs.set(e.deviceId, e.seq);
			const book = e.kind.startsWith('points') ? points : stored;
			const sign = e.kind === 'pointsEarn' || e.kind === 'storedValueTopUp' ? 1 : -1;
			const balance = (book.get(e.memberId) ?? 0) + sign * e.amount;
			expect(balance).toBeGreaterThanOrEqual(0);
			book.set(e.memberId, balance);
		}
	});
});
