/**
 * Counts of one chat (or of the records that belong to no chat): imported, skipped and failed, with the reasons
 * grouped so a summary of 100 000 messages stays small (a few example WhatsApp ids per reason).
 */

export type TallyStatus = 'imported' | 'skipped' | 'failed';

export interface ReasonCount {
	status: 'skipped' | 'failed';
	reason: string;
	count: number;
	/** The first few WhatsApp ids concerned, to look them up. */
	whatsapp_ids: string[];
}

export const MAX_IDS_PER_REASON = 10;
export const MAX_REASONS = 50;

export class Tally {
	imported = 0;
	skipped = 0;
	failed = 0;
	private readonly reasons = new Map<string, ReasonCount>();

	add(status: TallyStatus, reason?: string, whatsappId?: string): void {
		this[status] += 1;
		if (status === 'imported' || !reason) return;
		let key = `${status}\u0000${reason}`;
		let text = reason;
		// Past the cap, further distinct texts are pooled (each message is still counted above).
		if (!this.reasons.has(key) && this.reasons.size >= MAX_REASONS) {
			key = `${status}\u0000*`;
			text = `other reasons (more than ${MAX_REASONS} different texts)`;
		}
		let entry = this.reasons.get(key);
		if (!entry) {
			entry = { status, reason: text, count: 0, whatsapp_ids: [] };
			this.reasons.set(key, entry);
		}
		entry.count += 1;
		if (whatsappId && entry.whatsapp_ids.length < MAX_IDS_PER_REASON) entry.whatsapp_ids.push(whatsappId);
	}

	get total(): number {
		return this.imported + this.skipped + this.failed;
	}

	reasonList(): ReasonCount[] {
		return [...this.reasons.values()];
	}
}
