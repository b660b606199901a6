package io.atrium.router.connector;

/** The {@code extensions.code} values of connector errors (Apollo's names where Apollo has one). */
public final class ConnectorErrorCodes {
    /** The backend call failed: transport failure, timeout, or a status the connector does not count as success. */
    public static final String CONNECTOR_FETCH = "CONNECTOR_FETCH";
    /** The backend's answer could not be read (not JSON, wrong shape). */
    public static final String CONNECTOR_DESERIALIZE = "CONNECTOR_DESERIALIZE";
    /** The backend's circuit is open: calls are paused. */
    public static final String CONNECTOR_CIRCUIT_OPEN = "CONNECTOR_CIRCUIT_OPEN";
    /** An entity asked for by key was not in the backend's answer. */
    public static final String ENTITY_NOT_FOUND = "ENTITY_NOT_FOUND";
    /** The subgraph operation asks for something no connector answers (a schema/connector mismatch). */
    public static final String CONNECTOR_NOT_FOUND = "CONNECTOR_NOT_FOUND";
    /** A value could not be completed as its GraphQL type (e.g. an abstract value without a known type). */
    public static final String CONNECTOR_RESPONSE_INVALID = "CONNECTOR_RESPONSE_INVALID";

    private ConnectorErrorCodes() {
    }
}
