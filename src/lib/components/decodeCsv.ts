/**
 * Excel on a Chinese Windows saves "CSV" as GBK: read UTF-8 when the bytes are UTF-8, else GB18030 (a superset
 * of GBK). Shared by the catalog and member importers.
 */
export function decodeCsv(buffer: ArrayBuffer): { text: string; gbk: boolean } {
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), gbk: false };
	} catch {
		return { text: new TextDecoder('gb18030').decode(buffer), gbk: true };
	}
}
