package net.ledgerchat.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher turns H2's value cache off before H2 loads, unless the operator chose otherwise. */
class H2ValueCacheTest {
    private static final String PROPERTY = "h2.objectCache";
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, saved);
        }
    }

    @Test
    void turnsTheCacheOffByDefault() {
        System.clearProperty(PROPERTY);
        NodeLauncher.skipH2ValueCache();
        assertEquals("false", System.getProperty(PROPERTY));
    }

    @Test
    void keepsAnOperatorsChoice() {
        System.setProperty(PROPERTY, "true");
        NodeLauncher.skipH2ValueCache();
        assertEquals("true", System.getProperty(PROPERTY));
    }
}
