/**
 * The parameters of the Chatwoot Bridge Trigger and its (optionally two) outputs. Parameter names are read in
 * options.ts; keep both in step.
 */
import { NodeConnectionTypes, type INodeProperties } from 'n8n-workflow';

import { DEFAULT_SELECTED_EVENTS } from '../shared/bridge/webhookFilter';
import { instanceField } from '../shared/descriptions/instanceField';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from '../shared/chatwoot/webhook/signature';

/** Names of the two outputs when "Separate Conversation Status Output" is on. */
export const MESSAGES_OUTPUT = 'Messages';
export const STATUS_OUTPUT = 'Conversation Status';

/**
 * One output by default; two ("Messages", "Conversation Status") when the builder separates status changes. n8n
 * evaluates this expression in the editor and at run time, like the outputs of its own Webhook and Switch nodes.
 */
export const TRIGGER_OUTPUTS: `={{${string}}}` = `={{ $parameter.statusOutput ? [{ "type": "${NodeConnectionTypes.Main}", "displayName": "${MESSAGES_OUTPUT}" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "${STATUS_OUTPUT}" }] : ["${NodeConnectionTypes.Main}"] }}`;

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Chatwoot sends every event of an API inbox to one webhook URL: activating this workflow points the chosen inbox at this node (another workflow bound to the same inbox stops receiving; a warning is logged), and deactivating it clears the URL again if it still points here. Listening for a test event borrows the inbox and gives it back to the active workflow when the test ends.',
		name: 'registrationNotice',
		type: 'notice',
		default: '',
	},
	// The shared Instance field, as the Trigger has always stored it: the list and By ID give the inbox ID (any API
	// inbox, configured or not), and the by-name mode keeps its stored name `instance`.
	instanceField({
		name: 'inbox',
		displayName: 'Inbox',
		required: true,
		description: 'The API inbox of the WhatsApp instance whose agent messages start this workflow',
		list: { method: 'searchInboxes', placeholder: 'Select an API inbox...' },
		byName: {
			name: 'instance',
			displayName: 'By Instance Name',
			hint: 'The instance of an integration set up with the Chatwoot Bridge Integration node, or the name of its API inbox',
		},
	}),
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [...DEFAULT_SELECTED_EVENTS],
		description:
			'Which Chatwoot events start the workflow. Echoes of the bridge, incoming messages, private notes and events of other inboxes never do.',
		options: [
			{
				name: 'Agent Messages',
				value: 'send',
				description: 'An agent, bot or automation replied: one "send" item per message',
			},
			{
				name: 'Conversation Status Changes',
				value: 'conversationStatus',
				description: 'A conversation was opened, resolved, set pending or snoozed',
			},
			{
				name: 'Conversation Updates',
				value: 'conversationUpdate',
				description: 'Assignee, labels, priority, custom attributes and other changes (frequent)',
			},
			{
				name: 'Deletions',
				value: 'delete',
				description: 'An agent deleted a message: one "delete" item to revoke it on WhatsApp',
			},
			{
				name: 'Typing',
				value: 'typing',
				description: 'An agent started or stopped typing a reply (not a private note)',
			},
		],
	},
	{
		displayName: 'Separate Conversation Status Output',
		name: 'statusOutput',
		type: 'boolean',
		default: false,
		description:
			'Whether to send conversation status changes to a second output, "Conversation Status" (they are then emitted even when not selected in Events); otherwise every item leaves on the one output',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Unsigned Deliveries',
				name: 'allowUnsigned',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept deliveries without an X-Chatwoot-Signature header while the inbox has no signing secret, as Chatwoot before 4.13 sends them. A known secret is always enforced.',
			},
			{
				displayName: 'Replay Window (Seconds)',
				name: 'replayWindowSeconds',
				type: 'number',
				default: DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
				typeOptions: { minValue: 30, maxValue: 3600, numberPrecision: 0 },
				description:
					'How far the signed timestamp of a delivery may be from the clock of n8n. Delivery IDs are remembered for twice as long, in this n8n process, to reject a delivery sent again.',
			},
		],
	},
];
