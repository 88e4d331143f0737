import { demo, expect, fenShown, findSku, test, type TillPage } from './fixtures';

const showcase = demo.members[0]; // mem-000001: 20,000 points and ¥1,000 stored value in the demo seed
const pricey = findSku((s) => s.retailPrice >= 50000 && s.isNewArrival === false);

async function readMember(till: TillPage, phone: string) {
	await till.attachMember(phone);
	const page = till.page;
	return {
		points: Number(await page.getByTestId('member-points').textContent()),
		storedValue: fenShown(await page.getByTestId('member-stored-value').textContent()),
		level: (await page.getByTestId('member-level').textContent())?.trim() ?? ''
	};
}

/** A phone no demo member has (demo phones are random; this prefix+suffix is checked against them). */
function freshPhone(seed: number): string {
	for (let n = seed; ; n++) {
		const phone = `1990000${String(n).padStart(4, '0')}`;
		if (!demo.members.some((m) => m.phone === phone)) return phone;
	}
}

test.beforeEach(async ({ till }) => {
	await till.open();
	await till.signIn('cashier');
});

test('offline pay-as-member: an unknown phone enrols on the spot and earns points on that very sale', async ({
	till,
	page,
	context
}) => {
	await context.setOffline(true);
	try {
		await till.scan(pricey.barcode);
		await expect(till.lines()).toHaveCount(1);
		const before = fenShown(await till.total().textContent());
		const phone = freshPhone(11);
		await page.getByTestId('member-input').fill(phone);
		await page.getByTestId('member-input').press('Enter');
		await expect(page.getByTestId('enrol-offer')).toBeVisible();
		await page.getByTestId('enrol').click();
		await expect(page.getByTestId('member-card')).toContainText('新会员首单');
		// The first-purchase reward (¥10 off orders from ¥100) applies to this sale.
		await expect(page.getByTestId('applied-promotion').filter({ hasText: '新会员首单立减' })).toBeVisible();
		const total = fenShown(await till.total().textContent());
		expect(total).toBeLessThan(before);
		const enrolPoints = Number(await page.getByTestId('member-points').textContent());
		expect(enrolPoints).toBe(50); // enrolment behaviour points
		await till.openPayment();
		await till.tender('cash', '');
		await till.complete();
		await page.getByTestId('new-sale').click();
		const after = await readMember(till, phone);
		// ¥1 = 1 point on what was paid, floored.
		expect(after.points).toBe(enrolPoints + Math.floor(total / 100));
	} finally {
		await context.setOffline(false);
	}
});

test('a level upgrade happens at the sale that crosses the threshold', async ({ till, page }) => {
	const phone = freshPhone(200);
	await page.getByTestId('member-input').fill(phone);
	await page.getByTestId('member-input').press('Enter');
	await page.getByTestId('enrol').click();
	await expect(page.getByTestId('member-level')).toHaveText('普通会员');
	// 银卡 needs ¥1,000 within 365 days: ring up enough in one sale.
	let i = 0;
	while (fenShown(await till.total().textContent()) < 100000) {
		await till.scan(findSku((s) => s.retailPrice >= 30000, i++).barcode);
		await expect(till.lines()).toHaveCount(i);
	}
	await till.openPayment();
	await till.tender('cash', '');
	await till.complete();
	await page.getByTestId('new-sale').click();
	expect((await readMember(till, phone)).level).toBe('银卡会员');
});

test('split tender: points + WeChat + cash, and stored value + points + cash', async ({ till, page }) => {
	if (!showcase) throw new Error('no demo member');
	await till.scan(pricey.barcode);
	await till.scan(findSku((s) => s.retailPrice >= 30000, 5).barcode);
	await expect(till.lines()).toHaveCount(2);
	const start = await readMember(till, showcase.phone);
	const total = fenShown(await till.total().textContent());
	expect(total).toBeGreaterThan(40000);
	await till.openPayment();
	await expect(page.getByTestId('tender-points')).toBeVisible();
	await page.getByTestId('tender-points').click();
	await expect(page.getByTestId('pay-hint')).toContainText(String(start.points));
	await till.tender('points', '100');
	await till.tender('wechat', '200', '134567890123456789');
	await till.tender('cash', '');
	await expect(page.getByTestId('tender-row')).toHaveCount(3);
	await till.complete();
	await expect(page.getByTestId('receipt')).toContainText('积分');
	await page.getByTestId('new-sale').click();
	const mid = await readMember(till, showcase.phone);
	// 100 points = ¥1: ¥100 costs 10,000 points; the sale earns ¥1 = 1 point on the money part.
	expect(mid.points).toBe(start.points - 10000 + Math.floor((total - 10000) / 100));

	await till.scan(pricey.barcode);
	await expect(till.lines()).toHaveCount(1);
	const second = fenShown(await till.total().textContent());
	await till.openPayment();
	await till.tender('storedValue', '150');
	await till.tender('points', '20');
	await till.tender('cash', '');
	await till.complete();
	await page.getByTestId('new-sale').click();
	const end = await readMember(till, showcase.phone);
	expect(end.storedValue).toBe(mid.storedValue - 15000);
	expect(end.points).toBe(mid.points - 2000 + Math.floor((second - 2000) / 100));
});

test('spending more stored value than the balance is refused and writes nothing', async ({ till, page }) => {
	const second = demo.members[1];
	if (!second) throw new Error('no demo member');
	await till.scan(pricey.barcode);
	await till.attachMember(second.phone);
	const sv = fenShown(await page.getByTestId('member-stored-value').textContent());
	await till.openPayment();
	await till.tender('storedValue', ((sv + 100) / 100).toFixed(2));
	await expect(page.getByRole('alert').filter({ hasText: '储值余额不足' })).toBeVisible();
	await expect(page.getByTestId('tender-row')).toHaveCount(0);
});
