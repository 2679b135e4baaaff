// Runs the program under Pulumi's mocks and prints the types of what it registered.
import { runWithMocks, tailnetProgram } from '@tailkube/pulumi';
import { program } from './program';

async function main(): Promise<void> {
  const { resources } = await runWithMocks(() => tailnetProgram({}, program));
  console.log(JSON.stringify(resources.map((r) => r.type)));
}

void main();
