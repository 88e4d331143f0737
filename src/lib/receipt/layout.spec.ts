import { describe, expect, it } from 'vitest';
import { fen } from '$lib/domain/money';
import { richSale, smallSale, testContext, zhLabels } from './fixtures';
import {
	blockLines,
	buildReceiptDocument,
	maskPhone,
	maskReference,
	RECEIPT_COLUMNS,
	type ReceiptBlock,
	type ReceiptLabels
} from './layout';
import { displayWidth } from './text';

const texts = (blocks: ReceiptBlock[]) => blocks.flatMap((b) => blockLines(b).map((l) => l.text.trimEnd()));
const ofKind = <K extends ReceiptBlock['kind']>(blocks: ReceiptBlock[], kind: K) =>
	blocks.filter((b): b is Extract<ReceiptBlock, { kind: K }> => b.kind === kind);

describe('buildReceiptDocument', () => {
	it.each([58, 80] as const)('lays every line out at exactly the paper width (%i mm)', (width) => {
		const ctx = testContext(width, {
			address: '北京市朝阳区建国路88号SOHO现代城1层',
			phone: '010-8888 6666',
			footer: '谢谢惠顾，欢迎再次光临\n7天内凭小票退换'
		});
		const doc = buildReceiptDocument(richSale(), ctx);
		expect(doc.columns).toBe(RECEIPT_COLUMNS[width]);
		for (const block of doc.blocks) {
			for (const line of blockLines(block)) {
				expect(displayWidth(line.text)).toBe(line.style === 'large' ? doc.columns / 2 : doc.columns);
			}
		}
	});

	it('orders the blocks as a receipt reads', () => {
		const doc = buildReceiptDocument(richSale(), testContext(58, { address: 'x', footer: 'bye' }));
		// prettier-ignore
		expect(doc.blocks.map((b) => b.kind)).toEqual([
			'heading', 'text', 'text', 'separator',
			'row', 'row', 'row', 'row', 'separator',
			'item', 'item', 'separator',
			'totals', 'separator', 'tenders', 'change', 'separator',
			'barcode', 'qr', 'footer'
		]);
		expect(ofKind(doc.blocks, 'barcode')[0]?.value).toBe('B01-T2-20261122-0042');
		expect(ofKind(doc.blocks, 'qr')[0]?.value).toBe('B01-T2-20261122-0042');
		expect(doc.blocks[0]?.kind === 'heading' && doc.blocks[0].lines[0]?.style).toBe('large');
	});

	it('prints each line with qty x price, its list total and every discount as an indented negative row', () => {
		const doc = buildReceiptDocument(richSale(), testContext(58));
		const [first] = ofKind(doc.blocks, 'item');
		expect(first?.lines.map((l) => l.text)).toEqual([
			'经典圆领纯棉短袖T恤（男女同款） ',
			'  L/白色 2 x 99.00        198.00',
			'    会员价                -19.50',
			'    满300减50             -12.34',
			'    抹零                   -0.20',
			'    小计                  165.96'
		]);
		expect(first?.adjustments).toEqual([
			{ label: '会员价', amount: '-19.50' },
			{ label: '满300减50', amount: '-12.34' },
			{ label: '抹零', amount: '-0.20' }
		]);
	});

	it('shows 合计/优惠/抹零/应收, the tenders with masked references, then the change', () => {
		const lines = texts(buildReceiptDocument(richSale(), testContext(58)).blocks);
		const from = lines.indexOf('合计                      457.00');
		expect(lines.slice(from, from + 9)).toEqual([
			'合计                      457.00',
			'优惠                      -69.50',
			'抹零                       -0.50',
			'应收                      387.00',
			'-'.repeat(32),
			'微信 ****1234             200.00',
			'现金                      200.00',
			'找零                       13.00',
			'-'.repeat(32)
		]);
	});

	it('emphasises the amount due', () => {
		const [totals] = ofKind(buildReceiptDocument(richSale(), testContext(80)).blocks, 'totals');
		expect(totals?.lines.filter((l) => l.style === 'bold').map((l) => l.text.slice(0, 2))).toEqual(['应收']);
	});

	it('never prints a full payment reference or phone number', () => {
		const sale = { ...richSale(), memberPhoneMasked: '13812345678' }; // a caller that forgot to mask
		const doc = buildReceiptDocument(sale, testContext(80));
		const printed = texts(doc.blocks).join('\n');
		expect(printed).not.toContain('4200001234202611220042561234');
		expect(printed).not.toContain('13812345678');
		expect(printed).toContain('会员                                 138****5678');
	});

	it('leaves out zero discounts and rounding, and the change when nothing was paid in cash', () => {
		const sale = {
			...smallSale(),
			tenders: [{ id: 't1', kind: 'alipay' as const, amount: fen(9900), reference: '2026' }],
			change: fen(0)
		};
		const doc = buildReceiptDocument(sale, testContext(58));
		const lines = texts(doc.blocks);
		expect(lines.some((l) => l.startsWith('优惠') || l.startsWith('抹零'))).toBe(false);
		expect(lines).toContain('支付宝 ****' + ' '.repeat(16) + '99.00'); // 11 + 16 + 5 cells
		expect(doc.blocks.some((b) => b.kind === 'change')).toBe(false);
		expect(doc.blocks.some((b) => b.kind === 'footer')).toBe(false);
	});

	it('shows points spent on a points tender', () => {
		const sale = {
			...smallSale(),
			tenders: [{ id: 't1', kind: 'points' as const, amount: fen(500), points: 500 }]
		};
		const lines = texts(buildReceiptDocument(sale, testContext(58)).blocks);
		expect(lines).toContain('积分 500' + ' '.repeat(20) + '5.00'); // 8 + 20 + 4 cells
	});

	it('truncates a long promotion name on a character boundary and keeps the amount whole', () => {
		const sale = richSale();
		sale.lines[1]!.adjustments[0] = {
			source: { kind: 'promotion', promotionId: 'p2', name: '双十一全场满300减50叠加会员日折上折' },
			amount: fen(3766)
		};
		const [, second] = ofKind(buildReceiptDocument(sale, testContext(58)).blocks, 'item');
		expect(second?.lines[2]?.text).toBe('    双十一全场满300减50叠 -37.66');
	});

	it('wraps a long item name and strips control characters from data', () => {
		const sale = smallSale();
		sale.lines[0]!.name = '加绒加厚\u001b\u0070连帽卫衣男冬季宽松潮牌外套';
		const [item] = ofKind(buildReceiptDocument(sale, testContext(58)).blocks, 'item');
		expect(item?.lines.slice(0, 2).map((l) => l.text.trimEnd())).toEqual([
			'加绒加厚 p连帽卫衣男冬季宽松潮牌', // ESC became a space; 32 cells exactly
			'外套'
		]);
	});

	it('takes every printed word from the labels', () => {
		const en: ReceiptLabels = {
			...zhLabels,
			saleNumber: 'No.',
			dateTime: 'Time',
			cashier: 'Cashier',
			member: 'Member',
			levelPrice: 'Member price',
			lineTotal: 'Subtotal',
			listTotal: 'Total',
			discount: 'Discount',
			rounding: 'Rounding',
			due: 'Due',
			change: 'Change',
			tenders: { ...zhLabels.tenders, cash: 'Cash', wechat: 'WeChat' }
		};
		const sale = { ...richSale(), staffName: 'Amy' };
		sale.lines = sale.lines.map((l) => ({
			...l,
			name: 'Tee',
			color: 'white',
			adjustments: l.adjustments.slice(0, 1)
		}));
		sale.lines[1]!.adjustments = [];
		const ctx = testContext(80, { storeName: 'Yishang', branchName: 'Chaoyang', labels: en });
		const printed = texts(buildReceiptDocument(sale, ctx).blocks).join('\n');
		expect(printed).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
		expect(printed).toContain('Due');
	});
});

describe('masking', () => {
	it.each([
		['13812345678', '138****5678'],
		['138****5678', '138****5678'],
		['+8613812345678', '+86*******5678'],
		['5678', '****'],
		['', '']
	])('maskPhone(%j) = %j', (input, expected) => {
		expect(maskPhone(input)).toBe(expected);
	});

	it.each([
		['4200001234202611220042561234', '****1234'],
		['12345', '****2345'],
		['1234', '****'],
		['  9876543210 ', '****3210']
	])('maskReference(%j) = %j', (input, expected) => {
		expect(maskReference(input)).toBe(expected);
	});
});
