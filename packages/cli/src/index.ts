export { formatReport, runDoctor, type DoctorOutput } from './doctor.js'
export { createProgram, runCli, type CliIo } from './program.js'
