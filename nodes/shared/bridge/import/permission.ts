/**
 * What an import may do under the integration's flags (`import_contacts`, `import_messages`: the flags of the history
 * import in the integration docs). A run asking for more than they allow does the allowed part and says what it left
 * out; a run asking only for what they forbid touches nothing.
 */
import type { IntegrationSettings } from '../integration/config';
import type { ImportWhat } from './importer';

export interface ImportPermission {
	/** What the run does; `undefined`: nothing (everything asked for is refused). */
	what?: ImportWhat;
	/** Why part or all of the request was refused, naming the flag to turn on. */
	refused?: string;
}

type Flags = Pick<IntegrationSettings, 'import_contacts' | 'import_messages'>;

const CONTACTS_OFF =
	'contacts of chats without messages in the window were not created: import_contacts is off on this integration (Set it to true to import them)';
const MESSAGES_OFF = 'messages were not imported: import_messages is off on this integration (Set it to true to import them)';

export function permittedImport(requested: ImportWhat, flags: Flags): ImportPermission {
	const contacts = requested !== 'messages' && flags.import_contacts;
	const messages = requested !== 'contacts' && flags.import_messages;
	const refused = [
		requested !== 'messages' && !flags.import_contacts ? CONTACTS_OFF : undefined,
		requested !== 'contacts' && !flags.import_messages ? MESSAGES_OFF : undefined,
	].filter((reason): reason is string => !!reason);
	const what: ImportWhat | undefined = contacts && messages ? 'all' : messages ? 'messages' : contacts ? 'contacts' : undefined;
	return { what, refused: refused.length ? refused.join('; ') : undefined };
}
