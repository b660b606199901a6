package io.atrium.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line of the runnable examples jar; see {@link CommandLine#USAGE}. */
public final class Main {

    private static final String LOGBACK_CONFIG = "logback.configurationFile";

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty(LOGBACK_CONFIG) == null) {
            System.setProperty(LOGBACK_CONFIG, "io/atrium/examples/logging.xml");
        }
        CommandLine command = CommandLine.parse(List.of(args));
        if (command instanceof CommandLine.Run run) {
            run(run);
            return;
        }
        System.exit(execute(command, System.out, System.err));
    }

    /** Runs a command that terminates (help, check, invalid arguments) and returns its exit code. */
    static int execute(CommandLine command, PrintStream out, PrintStream err) {
        return switch (command) {
            case CommandLine.Help help -> {
                out.print(CommandLine.USAGE);
                yield 0;
            }
            case CommandLine.Invalid invalid -> {
                err.println("error: " + invalid.message() + "\n");
                err.print(CommandLine.USAGE);
                yield 2;
            }
            case CommandLine.Check check -> {
                HealthCheck.Verdict verdict = HealthCheck.probe(check.service(), check.host(), check.port());
                out.println((verdict.healthy() ? "healthy: " : "unhealthy: ") + verdict.detail());
                yield verdict.healthy() ? 0 : 1;
            }
            case CommandLine.Run run -> throw new IllegalArgumentException("a run does not terminate: " + run);
        };
    }

    private static void run(CommandLine.Run run) {
        Logger log = LoggerFactory.getLogger(Main.class);
        RunningService service;
        try {
            service = ExampleServices.start(run.service(), run.host(), run.port());
        } catch (RuntimeException e) {
            log.atError().addKeyValue("service", run.service().serviceName()).addKeyValue("port", run.port())
                    .setCause(e).log("could not start");
            System.exit(1);
            return;
        }
        log.atInfo().addKeyValue("service", run.service().serviceName()).addKeyValue("host", run.host())
                .addKeyValue("port", service.port()).log("listening");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            log.atInfo().addKeyValue("service", run.service().serviceName()).log("stopped");
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
