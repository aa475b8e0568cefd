import { settle } from '../../../nodes/shared/settle';

describe('settle', () => {
	it('turns a value into ok', async () => {
		expect(await settle(Promise.resolve(42))).toEqual({ ok: true, value: 42 });
	});

	it('turns an error into a value and keeps the same error object (and its type)', async () => {
		class ChatwootError extends Error {}
		const error = new ChatwootError('HTTP 500');
		const result = await settle(Promise.reject(error));
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.error).toBe(error);
			expect(result.error).toBeInstanceOf(ChatwootError);
		}
	});

	it('keeps rejections that are not errors as they are', async () => {
		expect(await settle(Promise.reject('nope'))).toEqual({ ok: false, error: 'nope' });
		expect(await settle(Promise.reject(undefined))).toEqual({ ok: false, error: undefined });
	});

	it('keeps undefined as a successful value', async () => {
		expect(await settle(Promise.resolve(undefined))).toEqual({ ok: true, value: undefined });
	});

	it('waits for a slow promise and never rejects itself', async () => {
		const slow = new Promise<string>((_, reject) => setTimeout(() => reject(new Error('late')), 5));
		await expect(settle(slow)).resolves.toMatchObject({ ok: false });
	});
});
