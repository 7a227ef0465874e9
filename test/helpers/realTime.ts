import { afterEach, vi } from "vitest";

// A test that moves the clock (`travelTo`) leaves the next one on real time.
afterEach(() => {
	vi.useRealTimers();
});
