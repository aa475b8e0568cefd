import type { INodeProperties } from 'n8n-workflow';

import { ChatwootBridgeIntegration } from '../../../nodes/ChatwootBridgeIntegration/ChatwootBridgeIntegration.node';
import { integrationSettingsSchema } from '../../../nodes/shared/bridge/integration/config';

describe('Chatwoot Bridge Integration: description', () => {
	const { description } = new ChatwootBridgeIntegration();

	it('is the node the package registers', () => {
		expect(description).toMatchObject({
			displayName: 'Chatwoot Bridge Integration',
			name: 'chatwootBridgeIntegration',
			icon: { light: 'file:chatwootBridgeIntegration.svg', dark: 'file:chatwootBridgeIntegration.dark.svg' },
		});
		// Delete and Import must not be offered to AI agents, and n8n offers a node whole: the node is no tool.
		expect(description.usableAsTool).toBeUndefined();
		// The Chatwoot credential always; a gateway credential only for the import, by its "Gateway Credential" choice.
		expect(description.credentials!.map((credential) => [credential.name, credential.displayOptions?.show])).toEqual([
			['chatwootBridgeApi', undefined],
			['chatwootBridgeEvolutionApi', { operation: ['import'], gatewayCredential: ['evolution'] }],
			['chatwootBridgeWahaApi', { operation: ['import'], gatewayCredential: ['waha'] }],
			['chatwootBridgeWhatsAppCloudApi', { operation: ['import'], gatewayCredential: ['cloud'] }],
		]);
		const operation = description.properties.find((property) => property.name === 'operation')!;
		expect(operation.options!.map((option) => ('value' in option ? option.value : undefined))).toEqual(['delete', 'import', 'list', 'set']);
		expect(operation.default).toBe('set');
		for (const property of description.properties.filter((p) => p.name !== 'operation')) {
			expect(property.displayOptions?.show?.operation).toHaveLength(1);
		}
	});

	it('offers every setting of the schema as a parameter of set (fields mode), under its seed name', () => {
		const forSet = description.properties.filter(
			(property) => (property.displayOptions?.show?.operation as string[] | undefined)?.includes('set'),
		);
		const fieldNames = forSet
			.filter((property) => property.displayOptions?.show?.inputMode?.includes('fields'))
			.flatMap((property) =>
				property.type === 'collection' ? (property.options as INodeProperties[]).map((option) => option.name) : [property.name],
			);
		expect(fieldNames.sort()).toEqual(Object.keys(integrationSettingsSchema.shape).sort());
		expect(forSet.map((property) => property.name)).toEqual(expect.arrayContaining(['instance', 'webhookUrl', 'inputMode', 'settingsJson']));
	});
});
