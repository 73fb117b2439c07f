package org.mwan4.lab;

import java.time.Duration;
import java.util.Optional;

/**
 * One HTTP GET against the lab's server.
 *
 * @param status  the HTTP status code
 * @param whoami  the source the server saw
 * @param wan     the WAN that source belongs to
 * @param elapsed connect to last byte
 */
public record HttpAnswer(int status, Whoami whoami, Optional<String> wan, Duration elapsed) {}
