// Parses YAML text into the raw configuration tree, keeping every value as text.
package io.pgmux.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns YAML into a {@link ConfigNode} tree. Only SnakeYAML's composer is used, never its object constructor, so no
 * Java type is ever instantiated from the document; and scalars stay text, so YAML 1.1 surprises (octal
 * {@code 0777}, {@code yes} as boolean, {@code 1:30} as sexagesimal) cannot change a password or name.
 */
final class YamlTreeReader {

    /** The deepest mapping the configuration uses is three levels; anything far deeper is a mistake or an attack. */
    private static final int MAX_DEPTH = 8;

    private YamlTreeReader() {
    }

    /**
     * Parses {@code yaml}; an empty document gives an empty tree.
     *
     * @param sourceName the file name (or a label) shown in syntax errors together with the line
     * @throws ConfigException for invalid YAML, a non-mapping document, duplicate keys or lists of non-scalars
     */
    static ConfigNode read(String yaml, String sourceName) {
        Node document = compose(yaml, sourceName);
        ConfigNode root = ConfigNode.root();
        if (document == null || isNull(document)) {
            return root;
        }
        if (!(document instanceof MappingNode mapping)) {
            throw new ConfigException(sourceName + ": the configuration must be a mapping of keys, at line "
                    + line(document));
        }
        copyMapping(mapping, root, sourceName, 1);
        return root;
    }

    private static Node compose(String yaml, String sourceName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(MAX_DEPTH * 2);
        try {
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new ConfigException(sourceName + ": invalid YAML" + where + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new ConfigException(sourceName + ": invalid YAML: " + e.getMessage(), e);
        }
    }

    private static void copyMapping(MappingNode mapping, ConfigNode target, String sourceName, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(sourceName + ": '" + target.path() + "' is nested too deeply, at line "
                    + line(mapping));
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode(), target, sourceName);
            if (target.contains(key)) {
                throw new ConfigException(sourceName + ": duplicate key '" + target.pathOf(key) + "' at line "
                        + line(tuple.getKeyNode()));
            }
            Node value = tuple.getValueNode();
            String path = target.pathOf(key);
            if (value instanceof MappingNode nested) {
                ConfigNode child = new ConfigNode(path);
                copyMapping(nested, child, sourceName, depth + 1);
                target.putNode(key, child);
            } else if (value instanceof ScalarNode scalar) {
                target.putScalar(key, isNull(scalar) ? null : scalar.getValue(), path);
            } else if (value instanceof SequenceNode sequence) {
                target.putList(key, toList(sequence, path, sourceName));
            } else {
                throw ConfigException.at(path, "unsupported YAML value (" + sourceName + " line " + line(value) + ")");
            }
        }
    }

    /** Only flat lists of single values are meaningful in the configuration; anything nested is a mistake. */
    private static ConfigList toList(SequenceNode sequence, String path, String sourceName) {
        List<String> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || isNull(scalar)) {
                throw ConfigException.at(path, "list items must be single values (" + sourceName + " line "
                        + line(item) + ")");
            }
            items.add(scalar.getValue());
        }
        return new ConfigList(items, path, sourceName + " line " + line(sequence));
    }

    private static String keyText(Node keyNode, ConfigNode target, String sourceName) {
        if (keyNode instanceof ScalarNode scalar && !isNull(scalar)) {
            return scalar.getValue();
        }
        String section = target.path().isEmpty() ? "the top level" : "'" + target.path() + "'";
        throw new ConfigException(sourceName + ": keys in " + section + " must be plain names, at line "
                + line(keyNode));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
