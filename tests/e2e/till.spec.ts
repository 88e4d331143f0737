import AxeBuilder from '@axe-core/playwright';
import { demo, expect, fenShown, findSku, test } from './fixtures';
import { expectedTotal } from './pricing-expect';

const newArrival = findSku((s) => s.isNewArrival && s.categoryId !== 'cat-tshirt');
const tshirtA = findSku((s) => s.categoryId === 'cat-tshirt' && Object.keys(s.levelPrices).length > 0);
const tshirtB = findSku((s) => s.categoryId === 'cat-tshirt' && Object.keys(s.levelPrices).length > 0, 3);
const goldMember = demo.members.find((m) => m.levelId === 'lvl-gold');

test.describe('selling at the till', () => {
	test.beforeEach(async ({ till }) => {
		await till.open();
		await till.signIn('cashier');
	});

	test('promotion + member level price + 抹零, exact to the fen', async ({ till, page }) => {
		if (!goldMember) throw new Error('demo has no gold member');
		const codes = [newArrival.barcode, tshirtA.barcode, tshirtB.barcode];
		for (const code of codes) await till.scan(code);
		await expect(till.lines()).toHaveCount(3);
		await till.attachMember(goldMember.phone);
		const expected = expectedTotal(codes, { levelId: 'lvl-gold' });
		await expect.poll(async () => fenShown(await till.total().textContent())).toBe(expected.total);
		expect(expected.applied.length).toBeGreaterThan(0);
		for (const name of expected.applied)
			await expect(page.getByTestId('applied-promotion').filter({ hasText: name })).toBeVisible();
		await expect(page.getByText('金卡会员会员价').first()).toBeVisible();
		expect(fenShown(await page.getByTestId('rounding').textContent())).toBe(expected.rounding);
		expect(expected.total % 10).toBe(0); // 抹零 to the jiao
	});

	test('cash + WeChat in one sale, with change', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await expect(till.lines()).toHaveCount(1);
		const due = fenShown(await till.total().textContent());
		await till.openPayment();
		await till.tender('wechat', '10', '134567890123456789');
		await expect(page.getByTestId('tender-row')).toHaveCount(1);
		// Pay the rest with a ¥100 note more than needed.
		const cashGiven = due - 1000 + 10000;
		await till.tender('cash', (cashGiven / 100).toFixed(2));
		await expect(page.getByTestId('pay-change')).toHaveText(/100\.00/);
		const number = await till.complete();
		expect(number).toMatch(/^B01-T1-\d{8}-\d{4}$/);
		await expect(page.getByTestId('sale-change')).toContainText('100.00');
		await expect(page.getByTestId('receipt')).toContainText('微信');
		await expect(page.getByTestId('receipt')).toContainText(number);
		await page.getByTestId('new-sale').click();
		await expect(till.lines()).toHaveCount(0);
	});

	test('a wallet payment needs its reference, and non-cash cannot overpay', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await till.openPayment();
		await till.tender('alipay', '');
		await expect(page.getByRole('alert').filter({ hasText: '付款码' })).toBeVisible();
		await till.tender('unionpay', '99999', '6212345678901234567');
		await expect(page.getByRole('alert').filter({ hasText: '非现金' })).toBeVisible();
		await expect(page.getByTestId('tender-row')).toHaveCount(0);
		// Scanning a WeChat payment code into the reference switches the method to WeChat by its prefix.
		await page.getByTestId('tender-alipay').click();
		await page.getByTestId('pay-reference').fill('134567890123456789');
		await expect(page.getByTestId('tender-wechat')).toHaveAttribute('aria-checked', 'true');
	});

	test('unknown barcode says so and offers search instead', async ({ till, page }) => {
		await till.scan('6900000000000');
		await expect(page.getByTestId('feedback')).toContainText('6900000000000');
		await expect(till.lines()).toHaveCount(0);
		await page.getByTestId('search-instead').click();
		await expect(page.getByTestId('scan-input')).toBeFocused();
		await page.getByTestId('scan-input').fill(tshirtA.style.name.slice(0, 4));
		await page.getByRole('list', { name: '搜索结果' }).getByRole('button').first().click();
		// Demo styles come in several colours and sizes: the cashier picks one.
		await page.getByRole('dialog').getByRole('button').first().click();
		await expect(till.lines()).toHaveCount(1);
	});

	test('a scanner double-fire is not added twice silently', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await till.scan(newArrival.barcode);
		await expect(page.getByTestId('feedback')).toContainText('重复');
		await expect(page.getByTestId('line-qty')).toHaveText('1');
		await page.getByTestId('add-anyway').click();
		await expect(page.getByTestId('line-qty')).toHaveText('2');
	});

	test('suspend a cart, ring up another, resume the first', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await page.getByTestId('suspend').click();
		await expect(till.lines()).toHaveCount(0);
		await till.scan(tshirtA.barcode);
		await expect(till.lines()).toHaveCount(1);
		await page.getByTestId('resume').click();
		await page.getByTestId('suspended-cart').first().click();
		await expect(till.lines()).toHaveCount(1);
		await expect(till.lines().first()).toContainText(newArrival.barcode);
		// The cart that was open went to the suspended list rather than being lost.
		await expect(page.getByTestId('resume')).toContainText('1');
	});

	test('the open cart survives a crash (page reload)', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await till.scan(tshirtA.barcode);
		await expect(till.lines()).toHaveCount(2);
		const total = await till.total().textContent();
		await page.reload();
		await till.signIn('cashier');
		await expect(till.lines()).toHaveCount(2);
		await expect(till.total()).toHaveText(total ?? '');
	});

	test('a large discount needs a manager PIN on the cashier screen, and is recorded', async ({
		till,
		page
	}) => {
		await till.scan(tshirtA.barcode);
		await page.getByRole('button', { name: '折扣' }).first().click();
		await page.getByTestId('line-edit-value').fill('25');
		await page.getByRole('dialog', { name: /折扣/ }).getByRole('button', { name: '确定' }).click();
		const approval = page.getByRole('dialog', { name: '需要授权' });
		await expect(approval).toBeVisible();
		await approval.getByTestId('pin-input').pressSequentially('9999');
		await approval.getByTestId('pin-input').press('Enter');
		await expect(approval.getByRole('alert')).toContainText('PIN');
		await approval.getByTestId('pin-input').pressSequentially('1234');
		await approval.getByTestId('pin-input').press('Enter');
		await expect(approval).toBeHidden();
		await expect(till.lines().first()).toContainText('手工折扣');
		await till.openPayment();
		await till.tender('cash', '');
		await till.complete();
		const approvals = await page.evaluate(async () => {
			const open = indexedDB.open('branchline');
			const db = await new Promise<IDBDatabase>((resolve) => (open.onsuccess = () => resolve(open.result)));
			const request = db.transaction('approvals').objectStore('approvals').getAll();
			return new Promise<{ action: string; approverRole: string; saleId?: string }[]>(
				(resolve) => (request.onsuccess = () => resolve(request.result))
			);
		});
		expect(approvals).toHaveLength(1);
		expect(approvals[0]).toMatchObject({ action: 'lineDiscount', approverRole: 'manager' });
		expect(approvals[0]?.saleId).toBeTruthy();
	});

	test('keyboard only: scan, pick a line with the arrows, + adds one, F9 pays, Enter completes', async ({
		till,
		page
	}) => {
		await till.scan(newArrival.barcode);
		await till.scan(tshirtA.barcode);
		await expect(till.lines()).toHaveCount(2);
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('+');
		await expect(till.lines().first().getByTestId('line-qty')).toHaveText('2');
		await page.keyboard.press('F9');
		await expect(page.getByTestId('pay-amount')).toBeFocused();
		await page.keyboard.press('Enter'); // takes the remaining amount in cash
		await expect(page.getByTestId('tender-row')).toHaveCount(1);
		await page.keyboard.press('Enter'); // settled: completes the sale
		await expect(page.getByTestId('sale-number')).toBeVisible();
		await page.keyboard.press('Enter'); // next sale
		await expect(till.lines()).toHaveCount(0);
		await expect(page.getByTestId('scan-input')).toBeFocused();
	});

	test('history finds a sale by number and shows it for reprint', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		await till.openPayment();
		await till.tender('cash', '');
		const number = await till.complete();
		await page.getByTestId('new-sale').click();
		await page.getByRole('link', { name: '销售记录' }).click();
		await expect(page.getByTestId('sale-row')).toHaveCount(1);
		await expect(page.getByTestId('sale-row')).toContainText('未同步');
		await page.getByTestId('sale-search').fill(number.toLowerCase());
		await page.getByTestId('sale-search').press('Enter');
		await expect(page.getByRole('heading', { name: number })).toBeVisible();
		await expect(page.getByTestId('receipt')).toContainText(number);
		await expect(page.getByTestId('reprint')).toBeVisible();
	});

	test('the till and sign-in screens have no serious accessibility violations', async ({ till, page }) => {
		await till.scan(newArrival.barcode);
		const till11y = await new AxeBuilder({ page }).analyze();
		const serious = (r: typeof till11y) =>
			r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
		expect(serious(till11y)).toEqual([]);
		await page.getByRole('button', { name: '退出' }).click();
		await expect(page.getByRole('heading', { name: '员工登录' })).toBeVisible();
		expect(serious(await new AxeBuilder({ page }).analyze())).toEqual([]);
	});
});

test('English and 繁體中文 are selectable and remembered', async ({ till, page }) => {
	await till.open();
	await till.signIn('cashier');
	await expect(page.getByRole('link', { name: '收银' })).toBeVisible();
	await page.getByTestId('locale-select').selectOption('en');
	await expect(page.getByRole('link', { name: 'Till' })).toBeVisible();
	await expect(page.getByTestId('scan-input')).toHaveAttribute('placeholder', /Scan/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible();
	await till.signIn('cashier');
	await page.getByTestId('locale-select').selectOption('zh-TW');
	await expect(page.getByRole('link', { name: '銷售紀錄' })).toBeVisible();
	await till.scan('6900000000000');
	await expect(page.getByTestId('feedback')).toContainText('找不到條碼');
});

test('a cashier who types a wrong PIN five times is locked out', async ({ till, page }) => {
	await till.open();
	await page.getByRole('button', { name: demo.staff.find((s) => s.role === 'cashier')?.name }).click();
	for (let i = 0; i < 5; i++) {
		await page.getByTestId('pin-input').pressSequentially('9876');
		await page.getByTestId('pin-input').press('Enter');
	}
	await expect(page.getByRole('alert')).toContainText('秒后再试');
	await page.getByTestId('pin-input').pressSequentially('1111');
	await page.getByTestId('pin-input').press('Enter');
	await expect(page.getByTestId('scan-input')).toBeHidden();
});
