// cli/: the `housecat` command line. Thin entry: main() parses the command and runs it (commands/).
import { main } from './main.js';

const argv = process.argv.slice(2);
process.exitCode = await main(argv);
// `serve` has stopped what it owns within its grace; a GitHub call an outbox pass still waits on
// (GitHub unreachable) must not keep the process alive: that work is still in Redis's outbox.
// Other commands end when their work does, so their piped output is never cut short.
if (argv[0] === 'serve') process.exit(process.exitCode);
