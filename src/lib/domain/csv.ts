/**
 * RFC 4180 CSV, for catalog and member imports and report exports. The parser keeps each record's line number so
 * import errors can say "第 12 行"; the writer defuses spreadsheet formulas and writes a BOM so Excel on a Chinese
 * Windows opens UTF-8 correctly instead of guessing GBK.
 */
import { DomainError } from './errors';

/** One parsed record and the (1-based) line of the file it starts on. */
export interface CsvRecord {
	line: number;
	fields: string[];
}

/** Parser options. */
export interface ParseCsvOptions {
	/** Skip lines with nothing on them (default true). A quoted empty field ("") is not an empty line. */
	skipEmptyLines?: boolean;
}

/**
 * Parses CSV text: quoted fields may hold commas, newlines and doubled quotes; CRLF, LF and lone CR all end a
 * record; a leading BOM is dropped. Fields are returned as written (no trimming). Throws csv.unterminatedQuote
 * with the line the quote opened on, or csv.badQuote for a quote inside an unquoted field or text after a closing
 * quote (Excel never writes either, so it means a hand-edited file the user should fix).
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvRecord[] {
	const skipEmpty = options.skipEmptyLines ?? true;
	const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const records: CsvRecord[] = [];
	let line = 1;
	let i = 0;
	let fields: string[] = [];
	let recordLine = 1;
	let quotedSeen = false;

	const endRecord = () => {
		const empty = fields.length === 1 && fields[0] === '' && !quotedSeen;
		if (!(skipEmpty && empty)) records.push({ line: recordLine, fields });
		fields = [];
		quotedSeen = false;
	};
	// Consumes a line break at i (CRLF, LF or CR) and returns true, or returns false.
	const newline = (): boolean => {
		const c = src[i];
		if (c === '\r') i += src[i + 1] === '\n' ? 2 : 1;
		else if (c === '\n') i += 1;
		else return false;
		line += 1;
		return true;
	};

	while (i < src.length) {
		if (fields.length === 0) recordLine = line;
		let value: string;
		if (src[i] === '"') {
			quotedSeen = true;
			const openLine = line;
			i += 1;
			value = '';
			for (;;) {
				if (i >= src.length) throw new DomainError('csv.unterminatedQuote', { line: openLine });
				const c = src[i] as string;
				if (c === '"') {
					if (src[i + 1] === '"') {
						value += '"';
						i += 2;
						continue;
					}
					i += 1;
					break;
				}
				if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line += 1;
				value += c;
				i += 1;
			}
			const next = src[i];
			if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
				throw new DomainError('csv.badQuote', { line });
		} else {
			const start = i;
			while (i < src.length) {
				const c = src[i];
				if (c === ',' || c === '\r' || c === '\n') break;
				if (c === '"') throw new DomainError('csv.badQuote', { line });
				i += 1;
			}
			value = src.slice(start, i);
		}
		fields.push(value);
		if (src[i] === ',') {
			i += 1;
			// A comma at the very end of the text still opens one more (empty) field.
			if (i >= src.length) fields.push('');
		} else if (newline() || i >= src.length) {
			endRecord();
		}
	}
	if (fields.length > 0) endRecord();
	return records;
}

/** A value toCsv can write. */
export type CsvValue = string | number | boolean | null | undefined;

/** Writer options. */
export interface ToCsvOptions {
	/** Start with a UTF-8 BOM (default true, for Excel). */
	bom?: boolean;
}

// A cell starting with one of these is run as a formula by Excel/WPS (=HYPERLINK(...), +cmd|...).
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue, onlyCell: boolean): string {
	if (value === null || value === undefined) return onlyCell ? '""' : '';
	// Numbers are ours (quantities, "-12.50" refunds as numbers), never user text: they stay usable as numbers.
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	// A lone empty cell must be quoted, or the row would read back as an empty line.
	if (/[",\r\n]/.test(text) || (onlyCell && text === '')) return `"${text.replaceAll('"', '""')}"`;
	return text;
}

/**
 * Writes rows as CSV with CRLF line ends. Quotes a field when it holds a comma, quote or line break; a text field
 * starting with = + - @ (or tab/CR) is prefixed with ' so a spreadsheet shows it instead of running it.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[], options: ToCsvOptions = {}): string {
	const body = rows.map((row) => row.map((v) => cell(v, row.length === 1)).join(',') + '\r\n').join('');
	return ((options.bom ?? true) ? '\uFEFF' : '') + body;
}
