package net.ledgerchat.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JSON API for scripts and tests, under {@code /api}. */
@ApplicationPath("/api")
public class ApiApplication extends Application {
}
