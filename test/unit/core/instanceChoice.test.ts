import { instanceChoice } from '../../../nodes/shared/instanceChoice';

describe('instanceChoice: the Instance field as stored in a workflow', () => {
	it('reads a plain string or number (older workflows, expressions) as the instance name', () => {
		expect(instanceChoice(' vendas ')).toEqual({ by: 'name', instance: 'vendas' });
		expect(instanceChoice(123456789012345)).toEqual({ by: 'name', instance: '123456789012345' });
		expect(instanceChoice(undefined)).toEqual({ by: 'name', instance: '' });
	});

	it('reads every mode but By ID as a name: list, name, the Trigger\'s instance, an expression\'s empty mode', () => {
		for (const mode of ['list', 'name', 'instance', '']) {
			expect(instanceChoice({ __rl: true, mode, value: '5511' })).toEqual({ by: 'name', instance: '5511' });
		}
	});

	it('reads By ID as an inbox ID and refuses anything but a positive whole number, naming the field', () => {
		expect(instanceChoice({ __rl: true, mode: 'id', value: ' 7 ' })).toEqual({ by: 'id', inboxId: 7 });
		expect(instanceChoice({ __rl: true, mode: 'id', value: 12 })).toEqual({ by: 'id', inboxId: 12 });
		for (const value of ['0', '-3', '7.5', 'vendas', '']) {
			expect(() => instanceChoice({ __rl: true, mode: 'id', value })).toThrow(/^invalid body: instance: By ID expects/);
		}
	});
});
