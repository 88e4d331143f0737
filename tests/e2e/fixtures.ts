/**
 * Shared Playwright fixtures and a page model of the till. Tests talk to the till the way a cashier does:
 * pick a name, type a PIN, scan (type + Enter in the scan box), pay.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { generateDemoChain } from '../../src/lib/demo/generator';

export type DemoRole = 'owner' | 'manager' | 'cashier';

interface SeedStaff {
	id: string;
	name: string;
	role: DemoRole;
	pin: string;
}
interface SeedVariant {
	id: string;
	styleId: string;
	barcode: string;
	active: boolean;
}
interface SeedStyle {
	id: string;
	name: string;
	categoryId: string;
	isNewArrival: boolean;
	retailPrice: number;
	levelPrices: Record<string, number>;
	active: boolean;
}
interface SeedMember {
	phone: string;
	levelId: string;
	name: string;
}

// The server seeds the same deterministic demo chain (same seed -> same data), so tests can pick SKUs here.
export const demo = generateDemoChain({ scale: 'demo' }) as unknown as {
	staff: SeedStaff[];
	variants: SeedVariant[];
	styles: SeedStyle[];
	members: (SeedMember & { id: string })[];
	stock: { skuId: string; branchId: string; qty: number }[];
};

export const staffFor = (role: DemoRole): SeedStaff => {
	const person = demo.staff.find((s) => s.role === role);
	if (!person) throw new Error(`no demo ${role}`);
	return person;
};

/** A SKU matching a predicate on its style, for tests that need e.g. a new arrival or a T恤. */
export function findSku(
	predicate: (style: SeedStyle) => boolean,
	skip = 0
): { barcode: string; style: SeedStyle; skuId: string } {
	const styles = new Map(demo.styles.map((s) => [s.id, s]));
	const matches = demo.variants.filter((v) => {
		const style = styles.get(v.styleId);
		return v.active && style?.active && predicate(style);
	});
	const variant = matches[skip];
	const style = variant && styles.get(variant.styleId);
	if (!variant || !style) throw new Error('no SKU matches');
	return { barcode: variant.barcode, style, skuId: variant.id };
}

export class TillPage {
	constructor(readonly page: Page) {}

	async open(): Promise<void> {
		await this.page.goto('/');
	}

	async signIn(role: DemoRole): Promise<void> {
		const person = staffFor(role);
		await this.page.getByRole('button', { name: person.name }).click();
		await this.page.getByTestId('pin-input').pressSequentially(person.pin);
		await this.page.getByTestId('pin-input').press('Enter');
		await expect(this.page.getByTestId('sync-status')).toBeVisible();
	}

	async scan(barcode: string): Promise<void> {
		const input = this.page.getByTestId('scan-input');
		await input.fill(barcode);
		await input.press('Enter');
	}

	total() {
		return this.page.getByTestId('cart-total');
	}

	lines() {
		return this.page.getByTestId('cart-line');
	}

	async attachMember(phone: string): Promise<void> {
		await this.page.getByTestId('member-input').fill(phone);
		await this.page.getByTestId('member-input').press('Enter');
		await expect(this.page.getByTestId('member-card')).toBeVisible();
	}

	async openPayment(): Promise<void> {
		await this.page.getByTestId('pay').click();
		await expect(this.page.getByTestId('pay-due')).toBeVisible();
	}

	/** Adds a tender; amount in yuan as typed ('' = the remaining amount). */
	async tender(
		kind: 'cash' | 'wechat' | 'alipay' | 'unionpay' | 'storedValue' | 'points',
		amount: string,
		reference?: string
	) {
		await this.page.getByTestId(`tender-${kind}`).click();
		await this.page.getByTestId('pay-amount').fill(amount);
		if (reference) await this.page.getByTestId('pay-reference').fill(reference);
		await this.page.getByTestId('pay-add').click();
	}

	async complete(): Promise<string> {
		await this.page.getByTestId('pay-complete').click();
		const number = this.page.getByTestId('sale-number');
		await expect(number).toBeVisible();
		return (await number.textContent()) ?? '';
	}
}

export const test = base.extend<{ till: TillPage }>({
	till: async ({ page }, use) => {
		// Headless profiles never get persistent storage; acknowledge that banner once, as staff would.
		await page.addInitScript(() => localStorage.setItem('branchline.persistAck', '1'));
		await use(new TillPage(page));
	}
});

export { expect };

/** "¥1,234.50" → 123450 (fen), for assertions on what the screen shows. */
export function fenShown(text: string | null): number {
	const cleaned = (text ?? '').replace(/[^\d.-]/g, '');
	const [yuan, cents = '0'] = cleaned.split('.');
	return Number(yuan) * 100 + Number(cents.padEnd(2, '0').slice(0, 2)) * Math.sign(Number(yuan) || 1);
}
