/**
 * The only error the WhatsApp normalizers throw: the webhook body is not what the gateway sends. `field` names the
 * path that was missing or wrong (e.g. `body.event`, `body.data.key.id`) so the user can fix the mapping.
 */
export class WhatsAppPayloadError extends Error {
	readonly field: string;

	constructor(field: string, message: string) {
		super(message);
		this.name = 'WhatsAppPayloadError';
		this.field = field;
	}
}

/** Short description of a value for error messages: never echoes the value itself (it may hold personal data). */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') {
		const keys = Object.keys(value as object);
		if (!keys.length) return 'an empty object';
		const shown = keys.slice(0, 10).join(', ');
		return `an object with keys ${shown}${keys.length > 10 ? ', …' : ''}`;
	}
	return `a ${typeof value}`;
}
