export { formatReport, runDoctor, type DoctorOutput } from './doctor.js'
export { createProgram, runCli, type CliIo } from './program.js'
export type { CommandContext } from './cli-io.js'
export { formatRunResult, exitCodeOf } from './run-report.js'
export { toRouteJson, type RouteJson } from './route-command.js'
export {
  createVitestRunner,
  runSkillTests,
  type SkillTestReport,
  type SkillTestRunner,
} from './skill-tests.js'
