package dev.pig.core.template;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

import dev.pig.core.diag.PigException;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.InvalidReferenceException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;

/**
 * Renders the templates modules put on hosts. Built-in templates are on the classpath under
 * {@code templates/}; a directory given with {@code --templates} is searched first, so a user can
 * override {@code etcd/etcd.conf.ftl} by writing their own at that relative path.
 */
public final class Templates {
    private final Configuration cfg;

    private Templates(Configuration cfg) {
        this.cfg = cfg;
    }

    /** Built-in templates only. */
    public static Templates builtIn() {
        return create(Optional.empty());
    }

    /** Built-in templates, overridden by those under {@code overrides} when given. */
    public static Templates create(Optional<Path> overrides) {
        // 2.3.33: a record's components read like properties, so template data can be a record
        Configuration c = new Configuration(Configuration.VERSION_2_3_33);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (overrides.isPresent()) {
            try {
                loaders.add(new FileTemplateLoader(new File(overrides.get().toString())));
            } catch (IOException e) {
                throw new PigException(PigException.Kind.USAGE, "template directory " + overrides.get() + " cannot be read: " + e.getMessage());
            }
        }
        loaders.add(new ClassTemplateLoader(Templates.class.getClassLoader(), "templates"));
        c.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(new TemplateLoader[0])));
        c.setDefaultEncoding("UTF-8");
        c.setLocale(Locale.ROOT);
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        c.setNumberFormat("c");
        c.setBooleanFormat("c");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        c.setAPIBuiltinEnabled(false);
        c.setWhitespaceStripping(true);
        Formats.install(c);
        return new Templates(c);
    }

    /** Renders template text given inline, for tests of the shared functions. */
    String renderString(String name, String text, Map<String, ?> model) {
        try {
            StringWriter out = new StringWriter();
            new Template(name, new java.io.StringReader(text), cfg).process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new PigException(PigException.Kind.FAILED, "template " + name + ": " + e.getMessage());
        }
    }

    /**
     * Renders {@code name} (a path under {@code templates/}, like {@code etcd/etcd.conf.ftl}) with
     * {@code model}: a map, or a record whose components the template reads by name.
     *
     * @throws PigException naming the template, line and the missing or wrong value
     */
    public String render(String name, Object model) {
        try {
            Template t = cfg.getTemplate(name);
            StringWriter out = new StringWriter();
            t.process(model, out);
            return out.toString();
        } catch (TemplateNotFoundException e) {
            throw new PigException(PigException.Kind.FAILED, "template " + name + " not found (built in, or under --templates)");
        } catch (InvalidReferenceException e) {
            throw new PigException(PigException.Kind.FAILED, "template " + name + " line " + e.getLineNumber()
                    + ": '" + e.getBlamedExpressionString() + "' has no value");
        } catch (TemplateException e) {
            throw new PigException(PigException.Kind.FAILED, "template " + name + " line " + e.getLineNumber()
                    + ": " + e.getMessageWithoutStackTop());
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "template " + name + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * A file kept under {@code templates/} as it is, not rendered: a Grafana dashboard, whose
     * {@code ${var}} is Grafana's own. An override under {@code --templates} wins, as for templates.
     *
     * @throws PigException when there is no such file
     */
    public String file(String name) {
        try {
            TemplateLoader loader = cfg.getTemplateLoader();
            Object source = loader.findTemplateSource(name);
            if (source == null) {
                throw new PigException(PigException.Kind.FAILED, "file " + name + " not found (built in, or under --templates)");
            }
            try (java.io.Reader r = loader.getReader(source, "UTF-8")) {
                StringWriter out = new StringWriter();
                r.transferTo(out);
                return out.toString();
            } finally {
                loader.closeTemplateSource(source);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "file " + name + " cannot be read: " + e.getMessage());
        }
    }
}
