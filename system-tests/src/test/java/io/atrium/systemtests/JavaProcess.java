package io.atrium.systemtests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One deployable run from its runnable jar as a child process with the test JVM's own {@code java} (JDK 25), the
 * launcher's memory settings and its output in a log file under target/. {@link #health()} is its health URL.
 */
final class JavaProcess implements AutoCloseable {

    /**
     * A stack frame line, plain or inside a JSON log line's escaped stack trace, or a JSON log line whose
     * {@code throwable} is set (the deployables' logback JSON layout writes {@code "throwable":null} otherwise).
     */
    private static final Pattern STACK_FRAME = Pattern.compile(
            "(^\\s+at [\\w$.]+\\()|(\\\\n\\\\tat [\\w$.]+\\()|(\"throwable\":\\s*[^n\\s])");

    final String name;
    final Path log;
    private final URI health;
    private final Process process;

    private JavaProcess(String name, Path log, URI health, Process process) {
        this.name = name;
        this.log = log;
        this.health = health;
        this.process = process;
    }

    /** Starts {@code java ... -jar jar args} in {@code workDir}; returns at once (see {@link #awaitHealthy}). */
    static JavaProcess start(String name, String jarProperty, List<String> args, Map<String, String> env, Path workDir,
                             URI health) throws IOException {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException(name + ": the jar is missing (" + jar + "); build it first (./mvnw package"
                    + " -pl edge-proxy,federation-router,examples -am, or ./mvnw verify from the root)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Datrium.service=" + name, "-jar", jar));
        command.addAll(args);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        // a test JVM that ends without closing it (a failure in set-up, a fork stopped by Failsafe) takes it along
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
        return new JavaProcess(name, log, health, process);
    }

    /** Runs {@code java <args...>} with the jar on the class path ({@code "-cp"} in args is followed by it) to its end. */
    static void run(String name, String jarProperty, List<String> args, Path workDir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : args) {
            command.add(arg);
            if (arg.equals("-cp")) {
                command.add(System.getProperty(jarProperty));
            }
        }
        Path log = workDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (" + process.exitValue() + "): " + Files.readString(log));
        }
    }

    URI health() {
        return health;
    }

    boolean alive() {
        return process.isAlive();
    }

    void awaitHealthy(HttpClient client, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (healthStatus(client) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not healthy within " + within + ":\n" + tail());
    }

    /** The status of one GET of the health URL (2 s timeout), or -1 when it does not answer. */
    int healthStatus(HttpClient client) throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notAnswering) {
            return -1;
        }
    }

    /** Stack-frame lines in the log: an expected fault must be logged as one quiet line, not a stack trace. */
    List<String> stackTraceLines() throws IOException {
        return Files.readAllLines(log).stream().filter(line -> STACK_FRAME.matcher(line).find()).toList();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops every process and returns the stack-trace lines (prefixed with the process's name) the ones still alive
     * logged, read before they stop: a killed process's log is not judged.
     */
    static List<String> stopAll(List<JavaProcess> processes) throws IOException, InterruptedException {
        List<String> stackTraces = new ArrayList<>();
        for (JavaProcess process : processes) {
            if (process.alive()) {
                stackTraces.addAll(process.stackTraceLines().stream().map(l -> process.name + ": " + l).toList());
            }
        }
        for (JavaProcess process : processes) {
            process.close();
        }
        return stackTraces;
    }

    /** Kills it at once (SIGKILL), as a crash would: no drain, the kernel closes its connections. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " still running 10 s after SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
