/** Saves text as a file through a Blob link (works offline; nothing leaves the device). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	// The click starts the download synchronously; give the browser a moment before freeing the blob.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 20261122 for a file name, in the device's time zone. */
export function fileDate(now: number = Date.now()): string {
	const d = new Date(now);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}
