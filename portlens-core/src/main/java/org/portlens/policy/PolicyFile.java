package org.portlens.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.portlens.internal.BoundedRead;

/**
 * Reading a policy file's text, bounded like every input: at most {@link #MAX_BYTES}, within 10
 * seconds (a pipe or a device that never ends is refused, not waited for). Parsing the YAML is the
 * front end's work. Static methods only; safe from any thread.
 */
public final class PolicyFile {

    /**
     * A policy file holds at most this many bytes (32 MB): the baseline of a host with 5,000
     * listeners takes about 2.3 MB, comments included.
     */
    public static final long MAX_BYTES = 32_000_000L;

    private static final Duration READ_TIME = Duration.ofSeconds(10);

    private PolicyFile() {}

    /**
     * A policy file's text.
     *
     * @param file the file, UTF-8
     * @return its whole text
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException when it cannot be read, holds more than {@link #MAX_BYTES} or does not end in
     *                     time; the message names the file and the limit
     */
    public static String read(Path file) throws IOException {
        try {
            return new String(BoundedRead.file(file, MAX_BYTES, READ_TIME), StandardCharsets.UTF_8);
        } catch (BoundedRead.TooLarge e) {
            throw new IOException(
                    file + " holds more than " + BoundedRead.size(MAX_BYTES) + ", the limit for a policy file", e);
        } catch (BoundedRead.TooSlow e) {
            throw new IOException(
                    file + " did not end within " + BoundedRead.seconds(READ_TIME) + " (" + e.received()
                            + " bytes read): a pipe or a device?",
                    e);
        }
    }
}
