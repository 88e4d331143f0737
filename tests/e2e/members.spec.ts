/**
 * The member screens as staff use them: find a member, top up stored value, redeem a gift, buy a paid plan,
 * import members from another system's CSV, and delete a member's personal data (PIPL).
 */
import AxeBuilder from '@axe-core/playwright';
import { demo, expect, fenShown, findSku, test, type TillPage } from './fixtures';
import type { Page } from '@playwright/test';

interface DemoMemberRow {
	id: string;
	code: string;
	phone: string;
	name: string;
}
interface DemoLedgerRow {
	memberId: string;
	kind: string;
	amount: number;
}
const chain = demo as unknown as { members: DemoMemberRow[]; ledger: DemoLedgerRow[] };
const withLedger = new Set(chain.ledger.map((e) => e.memberId));
/** Members with no seeded points or stored value (their balances are exactly what a test writes). */
const fresh = chain.members.filter((m) => !withLedger.has(m.id));
/** Members with stored value left and points earned in the seeded history. */
const rich = chain.members.filter((m) => {
	const mine = chain.ledger.filter((e) => e.memberId === m.id);
	const sv = (kind: string) => mine.filter((e) => e.kind === kind).reduce((s, e) => s + e.amount, 0);
	return sv('storedValueTopUp') > sv('storedValueSpend') && mine.some((e) => e.kind === 'pointsEarn');
});

function pick(list: DemoMemberRow[], i: number): DemoMemberRow {
	const member = list[i];
	if (!member) throw new Error('not enough demo members for this test');
	return member;
}

/** In-app navigation: a full page load would start a new session (the sign-in lives in memory). */
async function openMembers(page: Page): Promise<void> {
	await page.getByRole('navigation').getByRole('link', { name: '会员', exact: true }).click();
	await expect(page.getByRole('heading', { name: '会员管理' })).toBeVisible();
}

async function openMember(page: Page, member: DemoMemberRow): Promise<void> {
	await openMembers(page);
	await page.getByTestId('member-search').fill(member.phone);
	const row = page.getByTestId('member-row');
	await expect(row).toHaveCount(1);
	await row.getByTestId('member-link').click();
	await expect(page.getByTestId('member-code')).toHaveText(member.code);
}

/** Pays the open quick-pay dialog in cash, exactly. */
async function payCash(page: Page, yuan: string): Promise<void> {
	await expect(page.getByTestId('quick-pay')).toBeVisible();
	await page.getByTestId('qp-amount').fill(yuan);
	await page.getByTestId('qp-add').click();
	await page.getByTestId('qp-confirm').click();
	await expect(page.getByTestId('quick-pay')).toBeHidden();
}

async function signInAndOpen(till: TillPage, role: 'owner' | 'manager' | 'cashier') {
	await till.open();
	await till.signIn(role);
}

test.describe('members', () => {
	test('a ¥500 cash top-up shows the ¥50 bonus first and the statement lists principal and bonus', async ({
		till,
		page
	}) => {
		const member = pick(fresh, 0);
		await signInAndOpen(till, 'cashier');
		await openMembers(page);
		await page.getByTestId('member-search').fill(member.phone.slice(-4));
		// A cashier sees phones masked.
		const masked = `${member.phone.slice(0, 3)}****${member.phone.slice(7)}`;
		const row = page.getByTestId('member-row').filter({ hasText: member.code });
		await expect(row.getByTestId('member-row-phone')).toHaveText(masked);
		await row.getByTestId('member-link').click();
		await expect(page.getByTestId('member-phone')).toHaveText(masked);

		await page.getByTestId('action-topup').click();
		await page.getByTestId('topup-amount').fill('500');
		await expect(page.getByTestId('topup-bonus')).toHaveText('赠送 +¥50.00');
		await page.getByTestId('topup-next').click();
		await expect(page.getByTestId('qp-due')).toHaveText('¥500.00');
		await expect(page.getByTestId('topup-credit')).toContainText('到账 ¥550.00');
		await payCash(page, '500');

		await expect(page.getByTestId('member-message')).toContainText('充值成功');
		await expect(page.getByTestId('member-stored-value')).toHaveText('¥550.00');
		await expect(page.getByTestId('member-sv-split')).toHaveText('本金 ¥500.00 · 赠送 ¥50.00');
		const principal = page.locator('[data-testid="statement-row"][data-kind="topUp"]');
		const bonus = page.locator('[data-testid="statement-row"][data-kind="bonus"]');
		await expect(principal).toHaveCount(1);
		await expect(bonus).toHaveCount(1);
		await expect(principal).toContainText('储值本金');
		await expect(principal.getByTestId('statement-change')).toHaveText('+¥500.00');
		await expect(principal.getByTestId('statement-balance')).toHaveText('¥500.00');
		await expect(bonus).toContainText('储值赠送');
		await expect(bonus.getByTestId('statement-change')).toHaveText('+¥50.00');
		await expect(bonus.getByTestId('statement-balance')).toHaveText('¥50.00');
		await expect(principal.locator('td').nth(1)).toContainText(/^充值 B01-T1-\d{8}-\d{4}$/);
	});

	test('a gift for points + cash takes 1000 points and one gift from this branch', async ({ till, page }) => {
		const member = pick(fresh, 1);
		await signInAndOpen(till, 'manager');
		await openMember(page, member);
		await expect(page.getByTestId('member-points')).toHaveText('0');

		// The member has no points yet: a manager adds them (with a reason), then redeems.
		await page.getByTestId('action-adjust').click();
		await page.getByTestId('adjust-amount').fill('1200');
		await page.getByTestId('adjust-submit').click();
		await expect(page.getByTestId('adjust-error')).toHaveText('手工调整必须填写原因');
		await page.getByTestId('adjust-reason').fill('活动补积分');
		await page.getByTestId('adjust-submit').click();
		await expect(page.getByTestId('member-points')).toHaveText('1200');

		await page.getByTestId('action-redeem').click();
		const scarf = page.locator('[data-testid="gift-row"][data-gift="gift-scarf"]');
		await expect(scarf.getByTestId('gift-stock')).toHaveText('20');
		await scarf.getByRole('radio').check();
		await page.getByTestId('redeem-qty').fill('2');
		await expect(page.getByTestId('redeem-dialog')).toContainText('积分不足：现有 1200 分，需要 2000 分');
		await page.getByTestId('redeem-qty').fill('1');
		await expect(page.getByTestId('redeem-dialog')).toContainText('共需 1000 积分 + 现金 ¥10.00');
		await page.getByTestId('redeem-next').click();
		await expect(page.getByTestId('qp-due')).toHaveText('¥10.00');
		await payCash(page, '10');

		await expect(page.getByTestId('member-message')).toContainText('已兑换 1 件 羊毛围巾，扣 1000 积分');
		await expect(page.getByTestId('member-points')).toHaveText('200');
		const spend = page.locator('[data-testid="statement-row"][data-kind="spend"]');
		await expect(spend).toContainText('兑换礼品：羊毛围巾');
		await expect(spend.getByTestId('statement-change')).toHaveText('-1000');
		await expect(spend.getByTestId('statement-balance')).toHaveText('200');

		await page.getByTestId('action-redeem').click();
		await expect(scarf.getByTestId('gift-stock')).toHaveText('19');
	});

	test('member import reports the bad phone by line and the duplicate, and imports the 2 good rows', async ({
		till,
		page
	}) => {
		const taken = new Set(chain.members.map((m) => m.phone));
		const [a, b] = ['13912345671', '13912345672', '13912345673', '13912345674'].filter((p) => !taken.has(p));
		const duplicate = pick(chain.members, 5);
		const csv = [
			'会员卡号,手机号码,姓名,积分,余额(元)',
			`E2E0001,${a},导入甲,300,88.50`,
			`E2E0002,${b},导入乙,0,0`,
			'E2E0003,1234567,号码错误,10,0',
			`E2E0004,${duplicate.phone},重复的人,50,20`
		].join('\r\n');

		await signInAndOpen(till, 'manager');
		await openMembers(page);
		await page.getByTestId('import-members').click();
		await expect(page.getByRole('heading', { name: '导入会员' })).toBeVisible();
		await page.getByTestId('member-import-file').setInputFiles({
			name: 'members.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv, 'utf8')
		});
		// The suggested mapping found every column.
		await expect(page.getByTestId('map-phone')).toHaveValue('1');
		await expect(page.getByTestId('map-storedValue')).toHaveValue('4');
		await expect(page.getByTestId('member-import-summary')).toHaveText(
			'2 位会员可导入，1 行有错误，1 行手机号重复'
		);
		const error = page.getByTestId('member-import-error');
		await expect(error).toHaveCount(1);
		await expect(error).toHaveAttribute('data-line', '4');
		await expect(error).toContainText('手机号');
		await expect(error).toContainText('手机号“1234567”无效');
		const dup = page.getByTestId('member-import-duplicate');
		await expect(dup).toHaveCount(1);
		await expect(dup).toHaveAttribute('data-line', '5');
		await expect(dup.getByTestId('duplicate-existing')).toHaveAttribute('href', `/members/${duplicate.id}`);

		await page.getByTestId('member-import-commit').click();
		await expect(page.getByTestId('member-import-done')).toHaveText(/已导入 2 位会员/);

		await openMembers(page);
		await page.getByTestId('member-search').fill(a ?? '');
		const row = page.getByTestId('member-row');
		await expect(row).toHaveCount(1);
		await expect(row).toContainText('导入甲');
		await expect(row).toContainText('300');
		await expect(row).toContainText('¥88.50');
		await row.getByTestId('member-link').click();
		await expect(page.getByTestId('statement-row')).toHaveCount(2);
		await expect(page.getByTestId('statement')).toContainText('期初导入');
	});

	test('buying the 年卡会员 plan shows it active on the member page and the e-card', async ({
		till,
		page
	}) => {
		const member = pick(fresh, 2);
		await signInAndOpen(till, 'cashier');
		await openMember(page, member);
		await expect(page.getByTestId('member-plan')).toHaveText('未开通');

		await page.getByTestId('action-plan').click();
		await page.getByTestId('plan-option').filter({ hasText: '年卡会员' }).click();
		await page.getByTestId('plan-next').click();
		await expect(page.getByTestId('qp-due')).toHaveText('¥199.00');
		await page.getByTestId('qp-tender-wechat').click();
		await page.getByTestId('qp-amount').fill('199');
		await page.getByTestId('qp-add').click();
		await expect(page.getByTestId('qp-error')).toHaveText('请扫描顾客付款码或输入交易单号');
		await page.getByTestId('qp-tender-wechat').click();
		await page.getByTestId('qp-reference').fill('134567890123456789');
		await page.getByTestId('qp-amount').fill('199');
		await page.getByTestId('qp-add').click();
		await page.getByTestId('qp-confirm').click();

		await expect(page.getByTestId('member-message')).toContainText('已开通 年卡会员');
		await expect(page.getByTestId('member-plan')).toHaveText('年卡会员');
		const nextYear = String(new Date().getFullYear() + 1);
		await expect(page.getByTestId('member-plan-end')).toContainText(nextYear);
		await expect(page.getByTestId('action-plan')).toHaveText('续费付费会员');

		await page.getByTestId('ecard-link').click();
		await expect(page.getByTestId('ecard-code')).toHaveText(member.code);
		await expect(page.getByTestId('ecard-barcode').locator('svg')).toHaveAttribute('aria-label', member.code);
		await expect(page.getByTestId('ecard-plan')).toContainText('年卡会员');

		// At the till the plan's 10 % member discount applies at once, through the pricing engine.
		await page.goto('/');
		await till.signIn('cashier');
		const item = findSku((s) => s.retailPrice >= 20000 && !s.isNewArrival && s.categoryId !== 'cat-tshirt');
		await till.scan(item.barcode);
		await expect(till.lines()).toHaveCount(1);
		await till.attachMember(member.phone);
		await expect(page.getByTestId('member-plan')).toContainText('年卡会员');
		const planLine = page.getByTestId('applied-promotion').filter({ hasText: '年卡会员' });
		await expect(planLine).toBeVisible();
		expect(fenShown(await planLine.textContent())).toBeGreaterThan(0);
	});

	test('PIPL deletion blanks phone and name; the statement and balances stay', async ({ till, page }) => {
		const member = pick(rich, 0);
		await signInAndOpen(till, 'owner');
		await openMember(page, member);
		await expect(page.getByTestId('member-phone')).toHaveText(member.phone);
		await expect(page.getByTestId('member-name')).toContainText(member.name);
		const points = await page.getByTestId('member-points').textContent();
		const storedValue = fenShown(await page.getByTestId('member-stored-value').textContent());
		const rows = await page.getByTestId('statement-row').count();
		expect(rows).toBeGreaterThan(0);
		expect(storedValue).toBeGreaterThan(0);

		await page.getByTestId('action-delete').click();
		await expect(page.getByTestId('delete-confirm')).toBeDisabled();
		await page.getByTestId('delete-understood').check();
		await page.getByTestId('delete-confirm').click();

		await expect(page.getByTestId('member-message')).toHaveText(/个人信息已删除/);
		await expect(page.getByTestId('anonymized')).toBeVisible();
		await expect(page.getByTestId('member-phone')).toHaveText('—');
		await expect(page.getByTestId('member-name')).not.toContainText(member.name);
		await expect(page.getByTestId('member-code')).toHaveText(member.code);
		await expect(page.getByTestId('member-points')).toHaveText(points ?? '');
		expect(fenShown(await page.getByTestId('member-stored-value').textContent())).toBe(storedValue);
		await expect(page.getByTestId('statement-row')).toHaveCount(rows);
		await expect(page.getByTestId('action-delete')).toHaveCount(0);

		// The phone no longer finds anyone.
		await openMembers(page);
		await page.getByTestId('member-search').fill(member.phone);
		await expect(page.getByTestId('members-none')).toBeVisible();
	});

	test('enrolling a new phone opens the member with the welcome points; the same phone again shows that member', async ({
		till,
		page
	}) => {
		const taken = new Set(chain.members.map((m) => m.phone));
		const phone = ['13712345601', '13712345602', '13712345603'].find((p) => !taken.has(p)) ?? '';
		await signInAndOpen(till, 'cashier');
		await openMembers(page);
		await page.getByTestId('member-search').fill(phone);
		await expect(page.getByTestId('members-none')).toBeVisible();
		await page.getByTestId('enrol-this').click();
		await expect(page.getByTestId('enrol-phone')).toHaveValue(phone);
		await page.getByTestId('enrol-name').fill('新会员甲');
		await page.getByTestId('enrol-submit').click();
		await expect(page.getByTestId('member-name')).toContainText('新会员甲');
		await expect(page.getByTestId('member-level')).toHaveText('普通会员');
		await expect(page.getByTestId('member-points')).toHaveText('50');
		await expect(page.getByTestId('statement-row')).toContainText('入会奖励');

		await openMembers(page);
		await page.getByTestId('new-member').click();
		await page.getByTestId('enrol-phone').fill(phone);
		await page.getByTestId('enrol-submit').click();
		await expect(page.getByTestId('enrol-taken')).toContainText('这个手机号已经是会员');
		await expect(page.getByTestId('enrol-taken')).toContainText('新会员甲');
		await page.getByTestId('enrol-existing').click();
		await expect(page.getByTestId('member-name')).toContainText('新会员甲');
	});

	test('the member screens have no serious accessibility violations', async ({ till, page }) => {
		const serious = async () =>
			(await new AxeBuilder({ page }).analyze()).violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		await signInAndOpen(till, 'manager');
		await openMember(page, pick(rich, 1));
		expect(await serious()).toEqual([]);
		await page.getByTestId('tab-profile').click();
		expect(await serious()).toEqual([]);
		await page.getByTestId('action-topup').click();
		await page.getByTestId('topup-amount').fill('500');
		expect(await serious()).toEqual([]);
		await page.getByTestId('topup-next').click();
		expect(await serious()).toEqual([]);
		await page.getByRole('button', { name: '返回' }).click();
		await page.getByRole('button', { name: '取消' }).click();
		await page.getByTestId('action-redeem').click();
		expect(await serious()).toEqual([]);
		await page.getByRole('button', { name: '取消' }).click();
		await page.getByTestId('ecard-link').click();
		await expect(page.getByTestId('ecard')).toBeVisible();
		expect(await serious()).toEqual([]);
		// The e-card has no till chrome (it is the member's page): go back to the till's screens.
		await page.goBack();
		await openMembers(page);
		await expect(page.getByTestId('member-row').first()).toBeVisible();
		expect(await serious()).toEqual([]);
		await page.getByTestId('import-members').click();
		await page.getByTestId('member-import-text').fill('手机号,姓名\n13912345678,甲\n123,乙');
		await page.getByTestId('member-import-read').click();
		await expect(page.getByTestId('member-import-summary')).toBeVisible();
		expect(await serious()).toEqual([]);
	});
});
