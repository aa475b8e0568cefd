import {
	AGENT_LINKS_KEY,
	agentLinksOf,
	agentMessageOfWhatsappId,
	contactOfConversation,
	MAX_AGENT_LINKS,
	withAgentLink,
} from '../../../nodes/shared/bridge/agentLinks';
import { InboxMemory, LISTENING_WINDOW_MS } from '../../../nodes/shared/bridge/bridgeMemory';

describe('agent links kept on the contact', () => {
	it('reads only well-formed links; anything an agent or another tool wrote there otherwise is ignored', () => {
		const attributes = {
			company_name: 'Loja',
			[AGENT_LINKS_KEY]: { '12': '3EB0AAA', x: '3EB0BAD', '-3': '3EB0NEG', '13': 42, '14': '  3EB0TRIM  ' },
		};
		expect([...agentLinksOf(attributes)]).toEqual([
			[12, '3EB0AAA'],
			[14, '3EB0TRIM'],
		]);
		expect(agentLinksOf({ [AGENT_LINKS_KEY]: ['3EB0'] }).size).toBe(0);
		expect(agentLinksOf(null).size).toBe(0);
		expect(agentMessageOfWhatsappId(attributes, '3EB0AAA')).toBe(12);
		expect(agentMessageOfWhatsappId(attributes, '3EB0NONE')).toBeUndefined();
	});

	it('adds a link and keeps only the newest links, so the contact never grows without bound', () => {
		let value: Record<string, string> = {};
		for (let id = 1; id <= MAX_AGENT_LINKS + 50; id++) value = withAgentLink({ [AGENT_LINKS_KEY]: value }, id, `WA${id}`);
		const kept = Object.keys(value).map(Number);
		expect(kept).toHaveLength(MAX_AGENT_LINKS);
		expect(Math.min(...kept)).toBe(51);
		expect(value[String(MAX_AGENT_LINKS + 50)]).toBe(`WA${MAX_AGENT_LINKS + 50}`);
	});

	it("finds the contact in a conversation answer's meta.sender", () => {
		expect(contactOfConversation({ meta: { sender: { id: 7, additional_attributes: { a: 1 } } } })).toEqual({ id: 7, attributes: { a: 1 } });
		expect(contactOfConversation({ meta: { sender: { id: '7', additional_attributes: 'x' } } })).toEqual({ id: undefined, attributes: undefined });
		expect(contactOfConversation({})).toEqual({ id: undefined, attributes: undefined });
	});
});

describe('what the process remembers of a conversation status', () => {
	it('is trusted only while the trigger in this process receives the inbox deliveries', () => {
		let now = 1_000_000;
		const memory = new InboxMemory(() => now);
		memory.noteStatus(5, 'resolved');
		expect(memory.knownStatus(5)).toBeUndefined(); // nothing delivered here: a read of its own may be stale
		memory.noteDelivery();
		expect(memory.knownStatus(5)).toBe('resolved');
		memory.noteStatus(5, 'banana');
		expect(memory.knownStatus(5)).toBe('resolved');
		now += LISTENING_WINDOW_MS + 1;
		expect(memory.knownStatus(5)).toBeUndefined();
	});
});
