package mnistxent.config;

import mnistxent.OneLine;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A YAML file read as a node tree, so that every value keeps its position: the typed accessors
 * here either return a value or throw a {@link ConfigException} that names
 * {@code file:line:column}, the key path and what is allowed. Shared by every config schema
 * ({@link ConfigLoader}, the neuron experiment's).
 */
public final class YamlTree {

    private final String file;
    private final Node root;

    private YamlTree(String file, Node root) {
        this.file = file;
        this.root = root;
    }

    /**
     * The largest config file read: ours are under 2 KB, and parsing a huge one would take minutes (YAML
     * parsing is not linear in every case) before saying anything.
     */
    public static final long MAX_FILE_BYTES = 1 << 20;

    /**
     * Reads a file; a missing file is a ConfigException that says where the shipped configs are. What
     * cannot be a config is refused before parsing, saying what it is: a file over {@link #MAX_FILE_BYTES},
     * a directory, a zip (a model or checkpoint), other binary data.
     */
    public static YamlTree load(Path path) {
        String file = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw new ConfigException(file, 0, 0, "", "is a directory; give a config file (a .yaml file such as "
                        + "the ones in config/)");
            }
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(file, 0, 0, "", "is " + size + " bytes; a config is a small YAML file (at "
                        + "most " + MAX_FILE_BYTES + " bytes are read)");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, 0, "",
                    "no such config file; the shipped configs are in config/ (ls config/)");
        } catch (IOException e) {
            throw new ConfigException(file, 0, 0, "", "cannot read the config file: " + OneLine.reason(e));
        }
        String binary = binaryKind(bytes);
        if (binary != null) {
            throw new ConfigException(file, 0, 0, "", "is " + binary + ", not a YAML config");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(file, 0, 0, "", "is not UTF-8 text, so not a YAML config");
        }
        return parse(file, text);
    }

    /** What a binary file is ("a zip archive (a model or checkpoint zip?)", ...), or null for text. */
    static String binaryKind(byte[] bytes) {
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && (bytes[2] == 3 || bytes[2] == 5)) {
            return "a zip archive (a model or checkpoint zip?)";
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b) {
            return "gzip-compressed data";
        }
        if (bytes.length >= 6 && bytes[0] == (byte) 0x93 && bytes[1] == 'N' && bytes[2] == 'U' && bytes[3] == 'M') {
            return "a NumPy .npy file";
        }
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return "binary data (it holds NUL bytes)";
            }
        }
        return null;
    }

    /** Parses YAML text; {@code file} is only used in error messages. */
    public static YamlTree parse(String file, String text) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new ConfigException(file, 0, 0, "", "is " + text.length() + " characters; a config is a small YAML "
                    + "file (at most " + MAX_FILE_BYTES + " are read)");
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "not valid YAML: " + OneLine.of(e.getProblem() != null ? e.getProblem() : e.getMessage());
            throw m == null ? new ConfigException(file, 0, 0, "", problem)
                    : new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, "", problem);
        } catch (YAMLException e) {
            throw new ConfigException(file, 0, 0, "", "not valid YAML: " + OneLine.of(e.getMessage()));
        }
        if (root == null) {
            throw new ConfigException(file, 0, 0, "", "the config file is empty");
        }
        return new YamlTree(file, root);
    }

    public String file() {
        return file;
    }

    public Node root() {
        return root;
    }

    /** A mapping's entries by key, rejecting keys outside {@code allowed} and duplicates. */
    public Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            throw error(node, path.isEmpty() ? "(top level)" : path,
                    "expected a mapping with keys " + sorted(allowed) + ", got " + describe(node));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            Node k = t.getKeyNode();
            String key = k instanceof ScalarNode s ? s.getValue() : null;
            String keyPath = join(path, String.valueOf(key));
            if (key == null || !allowed.contains(key)) {
                throw error(k, keyPath, "unknown key; allowed here: " + sorted(allowed));
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw error(k, keyPath, "duplicate key");
            }
        }
        return out;
    }

    public Node requiredNode(Map<String, Node> m, Node parent, String path, String key) {
        Node n = m.get(key);
        if (n == null || isNull(n)) {
            throw error(n != null ? n : parent, join(path, key), "required key is missing");
        }
        return n;
    }

    public String requiredString(Map<String, Node> m, Node parent, String path, String key) {
        return stringValue(requiredNode(m, parent, path, key), join(path, key));
    }

    public int requiredInt(Map<String, Node> m, Node parent, String path, String key) {
        return intValue(requiredNode(m, parent, path, key), join(path, key));
    }

    public double requiredDouble(Map<String, Node> m, Node parent, String path, String key) {
        return doubleValue(requiredNode(m, parent, path, key), join(path, key));
    }

    public String stringValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.STR.equals(s.getTag())) {
            throw error(node, path, "expected a string, got " + describe(node));
        }
        return s.getValue();
    }

    public long longValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
            throw error(node, path, "expected an integer, got " + describe(node));
        }
        try {
            return Long.decode(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(node, path, "expected an integer that fits in 64 bits, got " + s.getValue());
        }
    }

    public int intValue(Node node, String path) {
        long v = longValue(node, path);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error(node, path, "integer out of range: " + v);
        }
        return (int) v;
    }

    public double doubleValue(Node node, String path) {
        if (node instanceof ScalarNode s && (Tag.FLOAT.equals(s.getTag()) || Tag.INT.equals(s.getTag()))) {
            String v = s.getValue().replace("_", "");
            switch (v.toLowerCase()) {
                case ".nan":
                    return Double.NaN;
                case ".inf":
                case "+.inf":
                    return Double.POSITIVE_INFINITY;
                case "-.inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw error(node, path, "expected a number, got " + v);
                    }
            }
        }
        throw error(node, path, "expected a number, got " + describe(node));
    }

    public boolean boolValue(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !Tag.BOOL.equals(s.getTag())) {
            throw error(node, path, "expected true or false, got " + describe(node));
        }
        return Boolean.parseBoolean(s.getValue().toLowerCase());
    }

    /** {@code parent.key}, or just {@code key} at the top level. */
    public static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            String kind = Tag.INT.equals(s.getTag()) ? "integer" : Tag.FLOAT.equals(s.getTag()) ? "number"
                    : Tag.BOOL.equals(s.getTag()) ? "boolean" : Tag.NULL.equals(s.getTag()) ? "nothing" : "string";
            return kind + " '" + s.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : node instanceof MappingNode ? "a mapping" : "a YAML node";
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }

    public ConfigException error(Node node, String keyPath, String problem) {
        Mark m = node == null ? null : node.getStartMark();
        return m == null ? new ConfigException(file, 0, 0, keyPath, problem)
                : new ConfigException(file, m.getLine() + 1, m.getColumn() + 1, keyPath, problem);
    }
}
