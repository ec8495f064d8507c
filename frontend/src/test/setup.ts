// Vitest setup: unmount rendered components after each test.
import '@testing-library/svelte/vitest';
