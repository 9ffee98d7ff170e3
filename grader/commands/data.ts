/**
 * `nngrade data fetch <name>` downloads a data set into the cache with its
 * published checksums verified; `nngrade data where <name>` says where each
 * split would be read from (or what is missing and how to get it).
 */
import { type Command } from 'commander';
import pc from 'picocolors';
import { UserError } from '../util/errors.ts';
import { exitOnError } from '../util/cli-errors.ts';
import { displayPath } from '../util/paths.ts';

export function registerDataCommand(program: Command): Command {
  const data = program.command('data').description('find or download the data sets accuracy parts use (fashion-mnist, mnist, cifar10)');
  data
    .command('fetch')
    .description('download a data set from its official sources into the cache, verifying checksums')
    .argument('<name>', 'fashion-mnist | mnist | cifar10')
    .option('--force', 'download again even when verified files are present')
    .action(async (name: string, o: { force?: boolean }) => {
      try {
        const { checkDatasetName, fetchDataset } = await import('../datasets/resolve.ts');
        const ds = checkDatasetName(name);
        let r;
        try {
          r = await fetchDataset(ds, { force: o.force, onProgress: (m) => console.error(pc.dim(m)) });
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(`could not download ${name}: ${(e as Error).message}`, { hint: 'this needs a network connection to the official sources; copy the files by hand and set NNGRADE_DATA instead' });
        }
        console.log(`${pc.green('✓')} ${name} in ${displayPath(r.dir)} (${r.downloaded.length} downloaded, ${r.alreadyPresent.length} already there)`);
      } catch (e) {
        exitOnError(e);
      }
    });
  data
    .command('where')
    .description('show where each split of a data set would be read from')
    .argument('<name>', 'fashion-mnist | mnist | cifar10')
    .option('--path <dir>', 'an explicit folder, as a spec would give it')
    .action(async (name: string, o: { path?: string }) => {
      try {
        const { checkDatasetName, resolveDataset } = await import('../datasets/resolve.ts');
        const ds = checkDatasetName(name);
        let missing = 0;
        for (const split of ['train', 'test'] as const) {
          try {
            const r = resolveDataset(ds, split, { path: o.path });
            console.log(`${pc.green('✓')} ${name} ${split}: ${r.files.map(displayPath).join(', ')} [${r.origin}]`);
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            missing++;
            console.log(`${pc.red('✗')} ${name} ${split}: ${e.message}`);
            for (const d of e.details) console.log(`    ${d}`);
            if (e.hint) console.log(pc.dim(`    to get it: ${e.hint}`));
          }
        }
        process.exitCode = missing ? 1 : 0;
      } catch (e) {
        exitOnError(e);
      }
    });
  return data;
}
