/**
 * Tenders: how a sale is paid. Several per sale. Only cash may exceed what is due (the excess is change).
 * Stored value and points arrive with the members issue; their kinds are reserved here so the model fits.
 */
import type { Fen } from './money';

export type TenderKind = 'cash' | 'wechat' | 'alipay' | 'unionpay' | 'storedValue' | 'points';

export interface Tender {
	id: string;
	kind: TenderKind;
	/** Amount applied to the sale (for cash: what was tendered, change is computed separately). */
	amount: Fen;
	/** Payment reference: the wallet's payment code / transaction id, the card slip's reference. */
	reference?: string;
	/** Points spent (points tender only). */
	points?: number;
}
