package io.atrium.graphql.document;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import graphql.schema.GraphQLSchema;
import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.GraphQLErrors;
import java.util.List;

/**
 * Parsed documents of one schema version by text (a schema change builds a new cache). Parsing stops at
 * {@code maxTokens}, so a huge document costs no more than that many tokens before it is refused with
 * {@code MAX_TOKENS_LIMIT}.
 */
public final class DocumentCache {
    private final GraphQLSchema schema;
    private final int maxTokens;
    private final int heightCap;
    private final Cache<String, ParsedDocument> documents;

    /**
     * @param maxTokens  where parsing is cut off (the largest token limit any client has)
     * @param heightCap  where the height count stops (one more than the largest height limit any client has)
     * @param maxEntries documents kept
     */
    public DocumentCache(GraphQLSchema schema, int maxTokens, int heightCap, int maxEntries) {
        this.schema = schema;
        this.maxTokens = maxTokens;
        this.heightCap = heightCap;
        // Maintenance on the calling thread: with the default (common pool) executor every few hits wake a pool
        // thread, which costs more than the maintenance itself.
        this.documents = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    public ParsedDocument get(String text) {
        return documents.get(text, this::parse);
    }

    /** The document when it is cached already (a hit), else null; nothing is parsed. */
    public ParsedDocument getIfPresent(String text) {
        return documents.getIfPresent(text);
    }

    public long size() {
        return documents.estimatedSize();
    }

    private ParsedDocument parse(String text) {
        int[] tokens = new int[1];
        // graphql-java counts the end of the document as a token; the limit is on the document's own tokens.
        ParserOptions options = ParserOptions.getDefaultOperationParserOptions().transform(b -> b
                .maxTokens(maxTokens + 1)
                .parsingListener(token -> tokens[0]++));
        try {
            var document = Parser.parse(ParserEnvironment.newParserEnvironment().document(text)
                    .parserOptions(options).build());
            return new ParsedDocument(document, List.of(), tokens[0], heightCap, schema);
        } catch (ParseCancelledTooDeepException | ParseCancelledTooManyCharsException e) {
            return failed(e, GraphQLErrorCodes.GRAPHQL_PARSE_FAILED, tokens[0]);
        } catch (graphql.parser.exceptions.ParseCancelledException e) {
            return tokens[0] >= maxTokens
                    ? failed(e, GraphQLErrorCodes.MAX_TOKENS_LIMIT, tokens[0])
                    : failed(e, GraphQLErrorCodes.GRAPHQL_PARSE_FAILED, tokens[0]);
        } catch (InvalidSyntaxException e) {
            return failed(e, GraphQLErrorCodes.GRAPHQL_PARSE_FAILED, tokens[0]);
        }
    }

    private ParsedDocument failed(InvalidSyntaxException e, String code, int tokens) {
        String message = code.equals(GraphQLErrorCodes.MAX_TOKENS_LIMIT)
                ? "the document has more than " + maxTokens + " tokens; send a smaller operation" : e.getMessage();
        return new ParsedDocument(null, List.of(GraphQLErrors.error(message, code, e.getLocation())), tokens, heightCap,
                schema);
    }
}
