/** Hand-built canonical events (nodes/shared/whatsapp/event.ts), as a gateway normalizer would produce them. */
import type { InboundEvent } from '../../../nodes/shared/whatsapp/event';

export const T0 = 1_760_000_000;

export const PRIVATE_CHAT = { jid: '5511999990001@s.whatsapp.net', phone: '+5511999990001', isGroup: false, name: 'Maria' };
export const GROUP_CHAT = { jid: '120363000000000001@g.us', isGroup: true, name: 'Loja — equipe' };

export function makeEvent(overrides: Partial<InboundEvent> = {}): InboundEvent {
	return {
		gateway: 'evolution',
		kind: 'message',
		instance: 'sales',
		whatsappId: '3EB0AAA111',
		chat: { ...PRIVATE_CHAT },
		fromMe: false,
		sender: { jid: PRIVATE_CHAT.jid, phone: PRIVATE_CHAT.phone, name: 'Maria' },
		timestamp: T0,
		...overrides,
	};
}

export function groupEvent(sender: InboundEvent['sender'], overrides: Partial<InboundEvent> = {}): InboundEvent {
	return makeEvent({ chat: { ...GROUP_CHAT }, sender, ...overrides });
}
