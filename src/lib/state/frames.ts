/**
 * Frame timing for work that must not delay a paint: the scan path adds the line, and what can wait (a stock
 * check) runs once the frame showing it has been produced.
 */

/** Resolves after the next frame has been painted; soon, where no frames are produced (hidden tab, tests). */
export function afterNextPaint(): Promise<void> {
	return new Promise((resolve) => {
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			resolve();
		};
		// A hidden tab gets no frames: never wait more than a moment.
		setTimeout(finish, 100);
		if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(finish, 0));
		else setTimeout(finish, 0);
	});
}
