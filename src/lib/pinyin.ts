/**
 * Pinyin initials for catalog search (纯棉圆领T恤 -> "cmyltx"). pinyin-pro carries a large dictionary, so this
 * module is only ever loaded with `await import('$lib/pinyin')` from the catalog screens, never by the till.
 */
import { pinyin } from 'pinyin-pro';

/** Lower-case first letters of each Chinese character; latin letters and digits are kept, the rest dropped. */
export function pinyinInitials(name: string): string {
	// NFKC turns full-width letters and digits (Ｔ恤, ２０２６) into ASCII first.
	const text = name.normalize('NFKC');
	return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' })
		.join('')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}
