/* pt-cpu-grid.c: draws the processor as nested frames (package, NUMA node, L3 domain, core) with
 * one button per thread, coloured by its role in the CPU plan. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-cpu-grid.h"
#include "pt-resources.h"

struct _PtCpuGrid
{
  GtkWidget   parent_instance;

  GtkWidget  *box;          /* the frames, then the legend */
  GtkWidget  *frames;
  PtHostScan *scan;
  PtCpuPlan  *plan;
  int         gpu_node;
  GHashTable *cells;        /* CPU → its button, owned by the frames */
};

G_DEFINE_FINAL_TYPE (PtCpuGrid, pt_cpu_grid, GTK_TYPE_WIDGET)

enum {
  CORE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* At most this many cores side by side in an L3 frame (single-thread cores: twice that). */
#define CORES_PER_ROW 4

/* Cores in a row of an L3 frame: one row up to the limit, else rows of equal length (six as
 * 3 + 3, not 4 + 2). */
static guint
cores_per_row (guint n_cores,
               guint width)
{
  guint limit = width > 1 ? CORES_PER_ROW : 2 * CORES_PER_ROW;
  guint rows = (n_cores + limit - 1) / limit;

  return rows <= 1 ? n_cores : (n_cores + rows - 1) / rows;
}

static const PtCpuTopology *
get_topology (PtCpuGrid *self)
{
  return self->scan != NULL ? pt_host_scan_get_cpu (self->scan) : NULL;
}

static const char * const role_classes[] = { "vcpu", "emulator", "host" };

/* A label with style classes, left-aligned. */
static GtkWidget *
new_label (const char *text,
           const char *first_class,
           ...)
{
  GtkWidget *label = gtk_label_new (text);
  va_list args;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  va_start (args, first_class);
  for (const char *css_class = first_class; css_class != NULL;
       css_class = va_arg (args, const char *))
    gtk_widget_add_css_class (label, css_class);
  va_end (args);
  return label;
}

/* A small pill next to a heading: "3D V-Cache", "Graphics card". */
static GtkWidget *
new_tag (const char *text,
         const char *icon_name,
         const char *css_class)
{
  GtkWidget *tag = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_widget_add_css_class (tag, "cpu-tag");
  if (css_class != NULL)
    gtk_widget_add_css_class (tag, css_class);
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (tag), gtk_image_new_from_icon_name (icon_name));
  gtk_box_append (GTK_BOX (tag), gtk_label_new (text));
  return tag;
}

/* A frame: a heading row, then what the caller adds below it (the frame is its own body);
 * announced as a group with @name. */
static GtkWidget *
new_frame (const char  *css_class,
           const char  *name,
           GtkWidget  **ret_header,
           GtkWidget  **ret_body)
{
  GtkWidget *frame = g_object_new (GTK_TYPE_BOX,
                                   "orientation", GTK_ORIENTATION_VERTICAL,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                   NULL);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_widget_add_css_class (frame, css_class);
  gtk_widget_add_css_class (header, "cpu-frame-header");
  gtk_box_append (GTK_BOX (frame), header);
  gtk_accessible_update_property (GTK_ACCESSIBLE (frame),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  *ret_header = header;
  *ret_body = frame;
  return frame;
}

/* "Core 3, P-core", the name of a core's frame. */
static char *
describe_core (const PtCpuCore *core)
{
  if (core->type == PT_CORE_TYPE_PERFORMANCE)
    return g_strdup_printf (_("Core %u, P-core"), core->index);
  if (core->type == PT_CORE_TYPE_EFFICIENCY)
    return g_strdup_printf (_("Core %u, E-core"), core->index);
  return g_strdup_printf (_("Core %u"), core->index);
}

char *
pt_cpu_grid_describe_cpu (PtCpuGrid *self,
                          guint      cpu)
{
  const PtCpuTopology *topology;
  const PtCpuCore *core;
  g_autofree char *name = NULL;
  g_autofree char *l3 = NULL;

  g_return_val_if_fail (PT_IS_CPU_GRID (self), NULL);

  topology = get_topology (self);
  if (topology == NULL || (core = pt_cpu_topology_core_of (topology, cpu)) == NULL)
    return NULL;

  if (core->type == PT_CORE_TYPE_PERFORMANCE)
    name = g_strdup_printf (_("CPU %u, core %u, P-core"), cpu, core->index);
  else if (core->type == PT_CORE_TYPE_EFFICIENCY)
    name = g_strdup_printf (_("CPU %u, core %u, E-core"), cpu, core->index);
  else
    name = g_strdup_printf (_("CPU %u, core %u"), cpu, core->index);
  if (core->l3 < 0)
    return g_steal_pointer (&name);

  l3 = pt_cpu_l3_name (topology, (guint) core->l3);
  /* Translators: a CPU's name and its L3 domain: "CPU 9, core 3" and "CCX 1". */
  return g_strdup_printf (_("%s, %s"), name, l3);
}

static void
cell_clicked_cb (GtkButton *button,
                 PtCpuGrid *self)
{
  guint core = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "pt-core"));

  g_signal_emit (self, signals[CORE_ACTIVATED], 0, core);
}

static GtkWidget *
new_cell (PtCpuGrid       *self,
          const PtCpuCore *core,
          guint            cpu)
{
  g_autofree char *name = g_strdup_printf ("cpu-%u", cpu);
  g_autofree char *number = g_strdup_printf ("%u", cpu);
  /* A toggle, like GtkToggleButton on GTK 4.8: a button that is pressed while its core
   * belongs to the guest. */
  GtkWidget *cell = g_object_new (GTK_TYPE_BUTTON, "name", name, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *number_label = gtk_label_new (number);
  GtkWidget *role = gtk_stack_new ();
  GtkWidget *role_label = gtk_label_new (NULL);
  GtkWidget *icons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *emulator_icon = gtk_image_new_from_icon_name ("emblem-system-symbolic");
  GtkWidget *io_icon = gtk_image_new_from_icon_name ("drive-harddisk-symbolic");

  gtk_widget_add_css_class (cell, "cpu-cell");
  gtk_widget_add_css_class (number_label, "cpu-number");
  gtk_widget_set_name (role_label, "role");
  gtk_widget_add_css_class (role_label, "cpu-role");
  gtk_widget_set_name (emulator_icon, "emulator-icon");
  gtk_widget_set_name (io_icon, "io-icon");
  gtk_widget_set_halign (icons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (icons), emulator_icon);
  gtk_box_append (GTK_BOX (icons), io_icon);
  /* Sized by what it shows, not by the longest text a cell could hold. */
  gtk_stack_set_hhomogeneous (GTK_STACK (role), FALSE);
  gtk_stack_add_named (GTK_STACK (role), role_label, "text");
  gtk_stack_add_named (GTK_STACK (role), icons, "icons");
  gtk_box_append (GTK_BOX (box), number_label);
  gtk_box_append (GTK_BOX (box), role);
  gtk_button_set_child (GTK_BUTTON (cell), box);

  g_object_set_data (G_OBJECT (cell), "pt-core", GUINT_TO_POINTER (core->index));
  g_object_set_data (G_OBJECT (cell), "pt-role-stack", role);
  g_object_set_data (G_OBJECT (cell), "pt-role-label", role_label);
  g_object_set_data (G_OBJECT (cell), "pt-emulator-icon", emulator_icon);
  g_object_set_data (G_OBJECT (cell), "pt-io-icon", io_icon);
  g_signal_connect_object (cell, "clicked", G_CALLBACK (cell_clicked_cb), self,
                           G_CONNECT_DEFAULT);
  g_hash_table_insert (self->cells, GUINT_TO_POINTER (cpu), cell);
  return cell;
}

static void
update_cell (PtCpuGrid *self,
             guint      cpu,
             GtkWidget *cell)
{
  GtkStack *stack = g_object_get_data (G_OBJECT (cell), "pt-role-stack");
  GtkLabel *label = g_object_get_data (G_OBJECT (cell), "pt-role-label");
  GtkWidget *emulator_icon = g_object_get_data (G_OBJECT (cell), "pt-emulator-icon");
  GtkWidget *io_icon = g_object_get_data (G_OBJECT (cell), "pt-io-icon");
  g_autofree char *name = pt_cpu_grid_describe_cpu (self, cpu);
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  g_autofree char *tooltip = NULL;
  const char *role_class;
  int vcpu = -1;
  PtCpuRole role = self->plan != NULL ? pt_cpu_plan_get_role (self->plan, cpu, &vcpu)
                                      : PT_CPU_ROLE_HOST;

  if (role & PT_CPU_ROLE_VCPU)
    {
      role_class = "vcpu";
      /* Translators: a guest's virtual CPU number, in a small cell. */
      text = g_strdup_printf (_("vCPU %d"), vcpu);
      description = g_strdup_printf (_("Runs the guest’s vCPU %d"), vcpu);
    }
  else if (role & (PT_CPU_ROLE_EMULATOR | PT_CPU_ROLE_IOTHREAD))
    {
      gboolean both = (role & PT_CPU_ROLE_EMULATOR) && (role & PT_CPU_ROLE_IOTHREAD);

      role_class = "emulator";
      text = g_strdup (both ? _("Emulator and I/O thread")
                            : (role & PT_CPU_ROLE_EMULATOR) ? _("Emulator") : _("I/O thread"));
      description = g_strdup (both ? _("Host CPU for the guest’s emulator and I/O thread")
                                   : (role & PT_CPU_ROLE_EMULATOR)
                                     ? _("Host CPU for the guest’s emulator")
                                     : _("Host CPU for the guest’s I/O thread"));
    }
  else
    {
      role_class = "host";
      text = g_strdup (_("Host"));
      description = g_strdup (_("Host CPU"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (role_classes); i++)
    gtk_widget_remove_css_class (cell, role_classes[i]);
  gtk_widget_add_css_class (cell, role_class);

  /* Emulator and I/O thread as two small icons: the words do not fit a cell. */
  gtk_widget_set_visible (emulator_icon, (role & PT_CPU_ROLE_EMULATOR) != 0);
  gtk_widget_set_visible (io_icon, (role & PT_CPU_ROLE_IOTHREAD) != 0);
  gtk_label_set_text (label, text);
  gtk_stack_set_visible_child_name (stack, g_str_equal (role_class, "emulator") ? "icons"
                                                                                 : "text");

  tooltip = g_strdup_printf ("%s\n%s", name, description);
  gtk_widget_set_tooltip_text (cell, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (cell),
                               GTK_ACCESSIBLE_STATE_PRESSED, (role & PT_CPU_ROLE_VCPU) != 0,
                               -1);
}

/* Not a button: nothing to do with a thread that is offline. */
static GtkWidget *
new_offline_cell (void)
{
  GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (_("Offline"));

  gtk_widget_add_css_class (cell, "cpu-cell");
  gtk_widget_add_css_class (cell, "offline");
  gtk_widget_add_css_class (label, "cpu-role");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (cell), label);
  gtk_widget_set_tooltip_text (cell, _("This thread is offline"));
  return cell;
}

static GtkWidget *
new_core (PtCpuGrid           *self,
          const PtCpuTopology *topology,
          const PtCpuCore     *core)
{
  g_autofree char *title = g_strdup_printf (_("Core %u"), core->index);
  g_autofree char *name = describe_core (core);
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "orientation", GTK_ORIENTATION_VERTICAL,
                                 "spacing", 4,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                 NULL);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *threads = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 3);

  gtk_widget_add_css_class (box, "cpu-core");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_box_append (GTK_BOX (header), new_label (title, "caption", "dim-label", NULL));
  if (core->type == PT_CORE_TYPE_PERFORMANCE)
    {
      gtk_widget_add_css_class (box, "performance");
      /* Translators: short for performance core, in a tiny tag. */
      gtk_box_append (GTK_BOX (header), new_tag (C_("core type", "P"), NULL, "performance"));
    }
  else if (core->type == PT_CORE_TYPE_EFFICIENCY)
    {
      gtk_widget_add_css_class (box, "efficiency");
      /* Translators: short for efficiency core, in a tiny tag. */
      gtk_box_append (GTK_BOX (header), new_tag (C_("core type", "E"), NULL, "efficiency"));
    }
  gtk_box_append (GTK_BOX (box), header);

  for (guint i = 0; i < core->cpus->len; i++)
    gtk_box_append (GTK_BOX (threads), new_cell (self, core, g_array_index (core->cpus, guint, i)));
  /* A sibling taken offline leaves a gap, so the core does not pass for one without SMT. */
  if (topology->offline->len > 0 && core->type != PT_CORE_TYPE_EFFICIENCY)
    for (guint i = core->cpus->len; i < pt_cpu_topology_smt_width (topology); i++)
      gtk_box_append (GTK_BOX (threads), new_offline_cell ());
  gtk_box_append (GTK_BOX (box), threads);
  return box;
}

/* A wrapping row of frames or cores, @per_line of them when the width allows. */
static GtkWidget *
new_flow (guint per_line,
          guint spacing)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), spacing);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), spacing);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), MAX (per_line, 1));
  gtk_widget_set_halign (flow, GTK_ALIGN_START);
  return flow;
}

static void
append_to_flow (GtkWidget *flow,
                GtkWidget *widget)
{
  GtkWidget *child = gtk_flow_box_child_new ();

  /* The cells take the focus, not the frames around them. */
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), widget);
  gtk_flow_box_append (GTK_FLOW_BOX (flow), child);
}

/* The cores of one L3 domain (or of none, @l3 = -1) within a package and node. */
static GtkWidget *
new_l3_frame (PtCpuGrid           *self,
              const PtCpuTopology *topology,
              GPtrArray           *cores,
              int                  l3)
{
  GtkWidget *header;
  GtkWidget *body;
  GtkWidget *frame;
  g_autofree char *title = l3 >= 0 ? pt_cpu_l3_name (topology, (guint) l3)
                                   : g_strdup (_("No L3 cache"));
  g_autofree char *size = NULL;
  g_autofree char *name = NULL;
  const PtCoreType types[] = { PT_CORE_TYPE_PERFORMANCE, PT_CORE_TYPE_UNKNOWN,
                               PT_CORE_TYPE_EFFICIENCY };

  if (l3 >= 0)
    {
      const PtCpuCache *cache = g_ptr_array_index (topology->l3, l3);

      if (cache->size_kib > 0)
        {
          g_autofree char *bytes = pt_cpu_format_cache_size (cache->size_kib);

          /* "CCX 1" says nothing of the cache, "L3 cache 0" does. */
          if (g_str_equal (topology->vendor, "AuthenticAMD")
              || g_str_equal (topology->vendor, "HygonGenuine"))
            /* Translators: the size of an L3 cache, "32 MiB L3". */
            size = g_strdup_printf (_("%s L3"), bytes);
          else
            size = g_steal_pointer (&bytes);
        }
    }
  name = size != NULL ? g_strdup_printf ("%s, %s", title, size) : g_strdup (title);
  frame = new_frame ("cpu-l3", name, &header, &body);
  gtk_box_append (GTK_BOX (header), new_label (title, "heading", NULL));
  if (size != NULL)
    gtk_box_append (GTK_BOX (header), new_label (size, "caption", "dim-label", NULL));
  if (l3 >= 0 && pt_cpu_l3_is_vcache (topology, (guint) l3))
    {
      gtk_widget_add_css_class (frame, "vcache");
      gtk_box_append (GTK_BOX (header), new_tag (_("3D V-Cache"), NULL, "vcache"));
    }

  /* P-cores, then others, then E-cores, each kind in rows of its own. */
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GPtrArray) kind = g_ptr_array_new ();
      GtkWidget *flow;
      guint per_row;

      for (guint i = 0; i < cores->len; i++)
        if (((PtCpuCore *) g_ptr_array_index (cores, i))->type == types[t])
          g_ptr_array_add (kind, g_ptr_array_index (cores, i));
      if (kind->len == 0)
        continue;

      per_row = cores_per_row (kind->len, ((PtCpuCore *) g_ptr_array_index (kind, 0))->cpus->len);

      /* Rows of per_row cores when there is room, fewer on a narrow window. */
      flow = new_flow (per_row, 6);
      for (guint i = 0; i < kind->len; i++)
        append_to_flow (flow, new_core (self, topology, g_ptr_array_index (kind, i)));
      gtk_box_append (GTK_BOX (body), flow);
    }
  return frame;
}

/* The L3 frames of the cores in @cores, side by side, wrapping on narrow windows. */
static GtkWidget *
new_l3_flow (PtCpuGrid           *self,
             const PtCpuTopology *topology,
             GPtrArray           *cores)
{
  GtkWidget *flow;
  g_autoptr(GArray) l3s = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < cores->len; i++)
    {
      int l3 = ((PtCpuCore *) g_ptr_array_index (cores, i))->l3;
      gboolean seen = FALSE;

      for (guint j = 0; j < l3s->len && !seen; j++)
        seen = g_array_index (l3s, int, j) == l3;
      if (!seen)
        g_array_append_val (l3s, l3);
    }
  flow = new_flow (l3s->len, 10);

  for (guint j = 0; j < l3s->len; j++)
    {
      g_autoptr(GPtrArray) members = g_ptr_array_new ();

      for (guint i = 0; i < cores->len; i++)
        if (((PtCpuCore *) g_ptr_array_index (cores, i))->l3 == g_array_index (l3s, int, j))
          g_ptr_array_add (members, g_ptr_array_index (cores, i));
      append_to_flow (flow, new_l3_frame (self, topology, members, g_array_index (l3s, int, j)));
    }
  return flow;
}

static GtkWidget *
new_node_tags (PtCpuGrid *self,
               int        node,
               gboolean   name_node)
{
  GtkWidget *tags = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_valign (tags, GTK_ALIGN_START);

  if (name_node && node >= 0)
    {
      g_autofree char *text = g_strdup_printf (_("NUMA node %d"), node);

      gtk_box_append (GTK_BOX (tags), new_tag (text, NULL, "node"));
    }
  if (self->gpu_node >= 0 && node == self->gpu_node)
    gtk_box_append (GTK_BOX (tags), new_tag (_("Graphics card"), "video-display-symbolic",
                                             "gpu"));
  return tags;
}

static void
rebuild (PtCpuGrid *self)
{
  const PtCpuTopology *topology = get_topology (self);
  GtkWidget *child;
  gboolean many_nodes;

  while ((child = gtk_widget_get_first_child (self->frames)) != NULL)
    gtk_box_remove (GTK_BOX (self->frames), child);
  g_hash_table_remove_all (self->cells);
  if (topology == NULL)
    return;

  many_nodes = topology->numa->len > 1;
  for (guint p = 0; p < topology->packages->len; p++)
    {
      const PtCpuPackage *package = g_ptr_array_index (topology->packages, p);
      g_autoptr(GPtrArray) cores = g_ptr_array_new ();
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (int));
      g_autofree char *title = package->id >= 0 ? g_strdup_printf (_("Package %d"), package->id)
                                                : g_strdup (_("Processor"));
      GtkWidget *header;
      GtkWidget *body;
      GtkWidget *frame = new_frame ("cpu-package", title, &header, &body);
      GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      for (guint c = 0; c < topology->cores->len; c++)
        {
          const PtCpuCore *core = g_ptr_array_index (topology->cores, c);
          gboolean seen = FALSE;

          if (core->package != package->id)
            continue;
          g_ptr_array_add (cores, (gpointer) core);
          for (guint k = 0; k < nodes->len && !seen; k++)
            seen = g_array_index (nodes, int, k) == core->numa_node;
          if (!seen)
            g_array_append_val (nodes, core->numa_node);
        }

      gtk_widget_set_hexpand (titles, TRUE);
      gtk_box_append (GTK_BOX (titles), new_label (title, "title-4", NULL));
      if (topology->model[0] != '\0')
        {
          GtkWidget *model = new_label (topology->model, "caption", "dim-label", NULL);

          /* Long model names wrap on a narrow window rather than widen it. */
          gtk_label_set_wrap (GTK_LABEL (model), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (model), PANGO_WRAP_WORD_CHAR);
          gtk_box_append (GTK_BOX (titles), model);
        }
      gtk_box_append (GTK_BOX (header), titles);

      if (nodes->len == 1)
        {
          /* One node per package, the usual case: the package frame stands for the node. */
          int node = g_array_index (nodes, int, 0);

          gtk_box_append (GTK_BOX (header), new_node_tags (self, node, many_nodes));
          gtk_box_append (GTK_BOX (body), new_l3_flow (self, topology, cores));
        }
      else
        for (guint k = 0; k < nodes->len; k++)
          {
            int node = g_array_index (nodes, int, k);
            g_autoptr(GPtrArray) members = g_ptr_array_new ();
            g_autofree char *node_title = node >= 0 ? g_strdup_printf (_("NUMA node %d"), node)
                                                    : g_strdup (_("Unknown NUMA node"));
            GtkWidget *node_header;
            GtkWidget *node_body;
            GtkWidget *node_frame = new_frame ("cpu-node", node_title, &node_header, &node_body);
            GtkWidget *label = new_label (node_title, "heading", NULL);

            for (guint i = 0; i < cores->len; i++)
              if (((PtCpuCore *) g_ptr_array_index (cores, i))->numa_node == node)
                g_ptr_array_add (members, g_ptr_array_index (cores, i));
            gtk_widget_set_hexpand (label, TRUE);
            gtk_box_append (GTK_BOX (node_header), label);
            gtk_box_append (GTK_BOX (node_header), new_node_tags (self, node, FALSE));
            gtk_box_append (GTK_BOX (node_body), new_l3_flow (self, topology, members));
            gtk_box_append (GTK_BOX (body), node_frame);
          }

      gtk_box_append (GTK_BOX (self->frames), frame);
    }

  pt_cpu_grid_set_plan (self, self->plan);
}

static GtkWidget *
new_legend_item (const char *css_class,
                 const char *icon_name,
                 const char *text)
{
  GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (swatch, "cpu-swatch");
  gtk_widget_add_css_class (swatch, css_class);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (swatch), gtk_image_new_from_icon_name (icon_name));
  gtk_box_append (GTK_BOX (item), swatch);
  gtk_box_append (GTK_BOX (item), new_label (text, "caption", NULL));
  return item;
}

static GtkWidget *
new_legend (void)
{
  GtkWidget *legend = new_flow (4, 18);

  gtk_widget_add_css_class (legend, "cpu-legend");
  gtk_widget_set_can_target (legend, FALSE);
  append_to_flow (legend, new_legend_item ("vcpu", NULL, _("Guest vCPU")));
  append_to_flow (legend, new_legend_item ("emulator", "emblem-system-symbolic", _("Emulator")));
  append_to_flow (legend, new_legend_item ("emulator", "drive-harddisk-symbolic",
                                           _("I/O thread")));
  append_to_flow (legend, new_legend_item ("host", NULL, _("Host")));
  return legend;
}

static void
pt_cpu_grid_dispose (GObject *object)
{
  PtCpuGrid *self = PT_CPU_GRID (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->scan);
  g_clear_pointer (&self->plan, pt_cpu_plan_unref);
  g_clear_pointer (&self->cells, g_hash_table_unref);

  G_OBJECT_CLASS (pt_cpu_grid_parent_class)->dispose (object);
}

static void
pt_cpu_grid_class_init (PtCpuGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GdkDisplay *display = gdk_display_get_default ();

  object_class->dispose = pt_cpu_grid_dispose;

  signals[CORE_ACTIVATED] = g_signal_new ("core-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cpugrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* The grid's looks live with it; the app's style.css holds only what all widgets share. */
  g_assert (pt_get_resource () != NULL);
  if (display != NULL)
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider,
                                           "/io/github/passthrough/Passthrough/pt-cpu-grid.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_unref (provider);
    }
}

static void
pt_cpu_grid_init (PtCpuGrid *self)
{
  self->gpu_node = -1;
  self->cells = g_hash_table_new (NULL, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->frames = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (self->box), self->frames);
  gtk_box_append (GTK_BOX (self->box), new_legend ());
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Processor topology"),
                                  -1);
}

GtkWidget *
pt_cpu_grid_new (void)
{
  return g_object_new (PT_TYPE_CPU_GRID, NULL);
}

void
pt_cpu_grid_set_scan (PtCpuGrid  *self,
                      PtHostScan *scan)
{
  g_return_if_fail (PT_IS_CPU_GRID (self));

  if (!g_set_object (&self->scan, scan))
    return;
  g_clear_pointer (&self->plan, pt_cpu_plan_unref);
  rebuild (self);
}

void
pt_cpu_grid_set_gpu_node (PtCpuGrid *self,
                          int        gpu_node)
{
  g_return_if_fail (PT_IS_CPU_GRID (self));

  if (self->gpu_node == gpu_node)
    return;
  self->gpu_node = gpu_node;
  rebuild (self);
}

void
pt_cpu_grid_set_plan (PtCpuGrid *self,
                      PtCpuPlan *plan)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PT_IS_CPU_GRID (self));

  if (plan != self->plan)
    {
      if (plan != NULL)
        pt_cpu_plan_ref (plan);
      g_clear_pointer (&self->plan, pt_cpu_plan_unref);
      self->plan = plan;
    }

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &key, &value))
    update_cell (self, GPOINTER_TO_UINT (key), value);
}

PtCpuPlan *
pt_cpu_grid_get_plan (PtCpuGrid *self)
{
  g_return_val_if_fail (PT_IS_CPU_GRID (self), NULL);

  return self->plan;
}

GtkWidget *
pt_cpu_grid_get_cell (PtCpuGrid *self,
                      guint      cpu)
{
  g_return_val_if_fail (PT_IS_CPU_GRID (self), NULL);

  return g_hash_table_lookup (self->cells, GUINT_TO_POINTER (cpu));
}
