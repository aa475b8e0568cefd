/** Delivery states of every gateway → the canonical ack status. `undefined` = not a delivery state (pending, read-self). */
import type { AckStatus } from './event';

/** Evolution `SERVER_ACK`…, WAHA `ackName` `SERVER`/`DEVICE`…, Cloud `sent`/`delivered`…, whatsmeow receipt types. */
export function ackFromName(name: string | undefined): AckStatus | undefined {
	switch ((name ?? '').trim().toUpperCase().replace(/[\s-]/g, '_')) {
		case 'SERVER_ACK':
		case 'SERVER':
		case 'SENT':
			return 'sent';
		case 'DELIVERY_ACK':
		case 'DEVICE':
		case 'DELIVERED':
			return 'delivered';
		case 'READ':
			return 'read';
		case 'PLAYED':
			return 'played';
		case 'ERROR':
		case 'FAILED':
			return 'failed';
		default:
			return undefined;
	}
}

/** WAHA `ack`: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED. */
export function ackFromWahaLevel(level: number | undefined): AckStatus | undefined {
	switch (level) {
		case -1:
			return 'failed';
		case 1:
			return 'sent';
		case 2:
			return 'delivered';
		case 3:
			return 'read';
		case 4:
			return 'played';
		default:
			return undefined;
	}
}

/** Baileys `WebMessageInfo.Status` numbers (older Evolution builds): 0 ERROR, 1 PENDING, 2 SERVER_ACK, 3 DELIVERY_ACK, 4 READ, 5 PLAYED. */
export function ackFromBaileysStatus(status: number | undefined): AckStatus | undefined {
	return status === undefined ? undefined : ackFromWahaLevel(status === 0 ? -1 : status - 1);
}
