/* pt-graphics-panel.c: every IOMMU group with its devices, and the guest GPU choice above them. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pt-choice-summary.h"
#include "pt-device-row.h"
#include "pt-graphics-item.h"
#include "pt-graphics-panel.h"
#include "pt-host-plan.h"
#include "pt-iommu-off-page.h"
#include "pt-resources.h"

struct _PtGraphicsPanel
{
  PtPanel              parent_instance;

  /* template children */
  GtkStack            *page_stack;
  PtIommuOffPage      *iommu_off_page;
  PtChoiceSummary     *summary;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *gpu_only_button;
  GtkStack            *list_stack;
  GtkListView         *list_view;

  GListStore          *groups;         /* PtGraphicsItem */
  GtkCustomFilter     *group_filter;
  GtkCustomFilter     *device_filter;
  GtkTreeListModel    *tree;
  GHashTable          *devices;        /* address → PtGraphicsItem */
  char                *search_text;    /* folded; NULL when empty */

  PtHostScan          *scan;           /* the snapshot the list shows */
  PtDeviceUsage       *usage;
  PtGpuChoice         *choice;
  PtSetup             *setup;
  GBinding            *single_gpu_binding;
  guint                generation;
  gboolean             ready;
};

G_DEFINE_FINAL_TYPE (PtGraphicsPanel, pt_graphics_panel, PT_TYPE_PANEL)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_choice (PtGraphicsPanel *self);

static void
set_ready (PtGraphicsPanel *self,
           gboolean         ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/* ---- What the worker reads -------------------------------------------------------------- */

typedef struct {
  char *kinds;    /* "storage, USB" */
  char *detail;   /* the devices by name, and what to do */
} Shares;

static void
shares_free (Shares *shares)
{
  g_free (shares->kinds);
  g_free (shares->detail);
  g_free (shares);
}

typedef struct {
  PtHostScan    *scan;
  guint          generation;
  PtDeviceUsage *usage;
  GStrv          iommu_args;
  GHashTable    *shares;   /* GPU address → Shares* */
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_object (&data->scan);
  g_clear_pointer (&data->usage, pt_device_usage_free);
  g_strfreev (data->iommu_args);
  g_clear_pointer (&data->shares, g_hash_table_unref);
  g_free (data);
}

static const char *
kind_word (PtDeviceKind kind)
{
  switch (kind)
    {
    case PT_DEVICE_KIND_STORAGE:
      return _("storage");
    case PT_DEVICE_KIND_USB:
      return _("USB");
    case PT_DEVICE_KIND_NETWORK:
      return _("network");
    case PT_DEVICE_KIND_GPU:
      return _("another graphics card");
    case PT_DEVICE_KIND_AUDIO:
    case PT_DEVICE_KIND_SERIAL_BUS:
    case PT_DEVICE_KIND_BRIDGE:
    case PT_DEVICE_KIND_OTHER:
    default:
      return _("other devices");
    }
}

/* What else sits in each GPU's group, for the badges: worked out once per scan. */
static GHashTable *
compute_shares (PtHostScan    *scan,
                PtDeviceUsage *usage)
{
  GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) shares_free);
  g_autoptr(GPtrArray) gpus = pt_gpu_list (scan);

  for (guint i = 0; i < gpus->len; i++)
    {
      const PtPciDevice *gpu = g_ptr_array_index (gpus, i);
      g_autoptr(PtGpuChoice) choice = pt_gpu_choice_new (scan, usage, gpu->address, FALSE, NULL);
      g_autoptr(GPtrArray) kinds = NULL;
      g_autoptr(GString) detail = NULL;
      Shares *entry;

      if (choice == NULL || choice->companions->len == 0)
        continue;

      kinds = g_ptr_array_new ();
      detail = g_string_new (NULL);
      g_string_append_printf (detail, _("IOMMU group %d also holds:"), choice->iommu_group);
      for (guint j = 0; j < choice->companions->len; j++)
        {
          const PtPciDevice *device = g_ptr_array_index (choice->companions, j);
          const char *word = kind_word (pt_device_kind_of (device));

          if (!g_ptr_array_find_with_equal_func (kinds, word, g_str_equal, NULL))
            g_ptr_array_add (kinds, (gpointer) word);
          g_string_append_printf (detail, "\n• %s (%s)", device->name, device->address);
        }
      g_string_append_printf (detail, "\n\n%s",
                              _("They would all go to the virtual machine. Move the card to "
                                "another slot, or turn on an ACS option in the firmware setup "
                                "if it has one."));

      entry = g_new0 (Shares, 1);
      g_ptr_array_add (kinds, NULL);
      entry->kinds = g_strjoinv (", ", (char **) kinds->pdata);
      entry->detail = g_string_free (g_steal_pointer (&detail), FALSE);
      g_hash_table_insert (shares, g_strdup (gpu->address), entry);
    }
  return shares;
}

static void
read_thread_cb (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ScanData *data = task_data;

  data->usage = pt_device_usage_new (data->scan);
  data->iommu_args = pt_host_plan_iommu_kernel_args (data->scan);
  data->shares = compute_shares (data->scan, data->usage);
  g_task_return_boolean (task, TRUE);
}

/* ---- The list ----------------------------------------------------------------------------- */

static gboolean
device_visible_cb (gpointer item,
                   gpointer user_data)
{
  PtGraphicsPanel *self = user_data;

  return pt_graphics_item_matches (item, self->search_text);
}

static gboolean
group_visible_cb (gpointer item,
                  gpointer user_data)
{
  PtGraphicsPanel *self = user_data;

  if (gtk_toggle_button_get_active (self->gpu_only_button) && !pt_graphics_item_has_gpu (item))
    return FALSE;
  return pt_graphics_item_matches (item, self->search_text);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  PtGraphicsPanel *self = user_data;
  GListModel *children = pt_graphics_item_get_children (item);

  if (children == NULL)
    return NULL;
  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (children),
                                                  g_object_ref (GTK_FILTER (self->device_filter))));
}

/* A group of nothing but bridges (and the host bridges in no group) says all in its header. */
static gboolean
worth_opening (PtGraphicsItem *group)
{
  GListModel *children = pt_graphics_item_get_children (group);
  guint n = g_list_model_get_n_items (children);

  if (pt_graphics_item_get_group_id (group) < 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PtGraphicsItem) child = g_list_model_get_item (children, i);

      if (!pt_pci_device_is_bridge (pt_graphics_item_get_device (child)))
        return TRUE;
    }
  return FALSE;
}

/* Searching or filtering opens every group it keeps: the matches are what the user wants. */
static void
expand_groups (PtGraphicsPanel *self)
{
  GListModel *root = gtk_tree_list_model_get_model (self->tree);
  guint n = g_list_model_get_n_items (root);
  gboolean all = self->search_text != NULL || gtk_toggle_button_get_active (self->gpu_only_button);
  g_autoptr(GtkSelectionModel) model = g_object_ref (gtk_list_view_get_model (self->list_view));

  /* Each expansion is a change of the list; with thousands of groups the view would measure
   * its rows thousands of times. Without a view the changes cost next to nothing. */
  gtk_list_view_set_model (self->list_view, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->tree, i);
      g_autoptr(PtGraphicsItem) item = NULL;

      if (row == NULL)
        continue;
      item = gtk_tree_list_row_get_item (row);
      gtk_tree_list_row_set_expanded (row, all || worth_opening (item));
    }
  gtk_list_view_set_model (self->list_view, model);
}

static void
update_list_page (PtGraphicsPanel *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->tree)) == 0;

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "no-results" : "list");
}

static void
refilter (PtGraphicsPanel *self)
{
  gtk_filter_changed (GTK_FILTER (self->device_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->group_filter), GTK_FILTER_CHANGE_DIFFERENT);
  expand_groups (self);
  update_list_page (self);
}

static void
search_changed_cb (PtGraphicsPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (stripped[0] != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);
  refilter (self);
}

static void
gpu_only_toggled_cb (PtGraphicsPanel *self)
{
  refilter (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), pt_device_row_new ());
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  PtDeviceRow *device_row = PT_DEVICE_ROW (gtk_tree_expander_get_child (expander));
  g_autoptr(PtGraphicsItem) item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (expander, row);
  pt_device_row_set_item (device_row, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));

  pt_device_row_set_item (PT_DEVICE_ROW (gtk_tree_expander_get_child (expander)), NULL);
  gtk_tree_expander_set_list_row (expander, NULL);
}

/* The display function of the card @device is on, NULL when that card has none. */
static const PtPciDevice *
display_function_of (PtGraphicsPanel   *self,
                     const PtPciDevice *device)
{
  GPtrArray *pci;

  if (pt_pci_device_is_gpu (device))
    return device;
  pci = pt_host_scan_get_pci (self->scan);
  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *other = g_ptr_array_index (pci, i);

      if (other->domain == device->domain && other->bus == device->bus
          && other->slot == device->slot && pt_pci_device_is_gpu (other))
        return other;
    }
  return NULL;
}

static void
choose (PtGraphicsPanel *self,
        const char      *address)
{
  if (self->setup != NULL)
    pt_setup_set_gpu (self->setup, address);
}

/* A group opens or closes; a card's function chooses the card. */
static void
list_activate_cb (GtkListView     *view,
                  guint            position,
                  PtGraphicsPanel *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  g_autoptr(PtGraphicsItem) item = NULL;
  const PtPciDevice *device;
  const PtPciDevice *gpu;

  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  device = pt_graphics_item_get_device (item);
  if (device == NULL)
    {
      gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
      return;
    }

  gpu = display_function_of (self, device);
  if (gpu != NULL)
    choose (self, gpu->address);
}

static void
choose_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (widget);

  choose (self, g_variant_get_string (parameter, NULL));
}

static void
clear_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  choose (PT_GRAPHICS_PANEL (widget), NULL);
}

/* ---- Filling in a snapshot ---------------------------------------------------------------- */

static void
show_iommu_off (PtGraphicsPanel *self,
                ScanData        *data)
{
  pt_iommu_off_page_set_host (self->iommu_off_page, self->scan,
                              (const char * const *) data->iommu_args);
  gtk_stack_set_visible_child_name (self->page_stack, "iommu-off");
}

static int
compare_groups_cb (gconstpointer a,
                   gconstpointer b)
{
  PtGraphicsItem *x = *(PtGraphicsItem * const *) a;
  PtGraphicsItem *y = *(PtGraphicsItem * const *) b;
  gboolean x_gpu = pt_graphics_item_has_gpu (x);
  gboolean y_gpu = pt_graphics_item_has_gpu (y);
  int x_id = pt_graphics_item_get_group_id (x);
  int y_id = pt_graphics_item_get_group_id (y);

  if (x_gpu != y_gpu)
    return x_gpu ? -1 : 1;
  /* The devices in no group come last. */
  if ((x_id < 0) != (y_id < 0))
    return x_id < 0 ? 1 : -1;
  return x_id < y_id ? -1 : x_id > y_id;
}

static void
show_groups (PtGraphicsPanel *self,
             ScanData        *data)
{
  const PtIommu *iommu = pt_host_scan_get_iommu (self->scan);
  GPtrArray *pci = pt_host_scan_get_pci (self->scan);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) first_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) second_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) twins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PtGraphicsItem) ungrouped = pt_graphics_item_new_group (self->scan, -1);

  /* The first two devices of each vendor:device pair: each names the other as its twin, the
   * rest name the first. */
  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      g_autofree char *ids = pt_pci_device_dup_ids (device);

      if (!g_hash_table_contains (first_of, ids))
        g_hash_table_insert (first_of, g_steal_pointer (&ids), (gpointer) device);
      else if (!g_hash_table_contains (second_of, ids))
        g_hash_table_insert (second_of, g_steal_pointer (&ids), (gpointer) device);
    }

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);
      g_autoptr(PtGraphicsItem) item = pt_graphics_item_new_device (self->scan, device);
      g_autofree char *ids = pt_pci_device_dup_ids (device);
      const PtPciDevice *first = g_hash_table_lookup (first_of, ids);
      const PtPciDevice *second = g_hash_table_lookup (second_of, ids);
      Shares *shares = g_hash_table_lookup (data->shares, device->address);

      if (first != device)
        g_hash_table_insert (twins, g_strdup (device->address), (gpointer) first->address);
      else if (second != NULL)
        g_hash_table_insert (twins, g_strdup (device->address), (gpointer) second->address);
      if (shares != NULL)
        pt_graphics_item_set_shares_with (item, shares->kinds, shares->detail);
      g_hash_table_insert (self->devices, g_strdup (device->address), g_steal_pointer (&item));
    }

  for (guint i = 0; i < iommu->groups->len; i++)
    {
      const PtIommuGroup *group = g_ptr_array_index (iommu->groups, i);
      PtGraphicsItem *group_item = pt_graphics_item_new_group (self->scan, group->id);

      for (guint j = 0; j < group->devices->len; j++)
        {
          PtGraphicsItem *item = g_hash_table_lookup (self->devices,
                                                      g_ptr_array_index (group->devices, j));

          if (item == NULL)
            continue;
          pt_graphics_item_add_child (group_item, item);
          /* The group says what its card says. */
          if (pt_graphics_item_get_shares_with (item) != NULL)
            pt_graphics_item_set_shares_with (group_item, pt_graphics_item_get_shares_with (item),
                                              pt_graphics_item_get_shares_detail (item));
        }
      /* Twins matter where a card could go along: a server's hundred identical network ports
       * in groups of their own need no badge each. */
      if (pt_graphics_item_has_gpu (group_item))
        for (guint j = 0; j < group->devices->len; j++)
          {
            const char *address = g_ptr_array_index (group->devices, j);
            PtGraphicsItem *item = g_hash_table_lookup (self->devices, address);

            if (item != NULL)
              pt_graphics_item_set_twin (item, g_hash_table_lookup (twins, address));
          }
      g_ptr_array_add (groups, group_item);
    }

  for (guint i = 0; i < pci->len; i++)
    {
      const PtPciDevice *device = g_ptr_array_index (pci, i);

      if (pt_iommu_find_group (iommu, device->iommu_group) == NULL)
        pt_graphics_item_add_child (ungrouped, g_hash_table_lookup (self->devices,
                                                                    device->address));
    }
  if (g_list_model_get_n_items (pt_graphics_item_get_children (ungrouped)) > 0)
    g_ptr_array_add (groups, g_object_ref (ungrouped));

  /* The groups of graphics cards first: they are what the user came for. */
  g_ptr_array_sort (groups, compare_groups_cb);

  /* One change for the whole list, not one per group. */
  g_list_store_splice (self->groups, 0, g_list_model_get_n_items (G_LIST_MODEL (self->groups)),
                       groups->pdata, groups->len);
  expand_groups (self);
  update_list_page (self);
  gtk_stack_set_visible_child_name (self->page_stack, "groups");
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (source);
  ScanData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  const PtIommu *iommu;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      || g_cancellable_is_cancelled (pt_panel_get_cancellable (PT_PANEL (self))))
    return;
  /* A newer snapshot arrived meanwhile; its own read fills the list. */
  if (data->generation != self->generation)
    return;

  g_set_object (&self->scan, data->scan);
  g_clear_pointer (&self->usage, pt_device_usage_free);
  self->usage = g_steal_pointer (&data->usage);
  g_hash_table_remove_all (self->devices);
  g_list_store_remove_all (self->groups);

  iommu = pt_host_scan_get_iommu (self->scan);
  if (iommu == NULL || !iommu->enabled)
    show_iommu_off (self, data);
  else
    show_groups (self, data);

  update_choice (self);
  set_ready (self, TRUE);
}

static void
pt_graphics_panel_scan_changed (PtPanel *panel)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (panel);
  PtHostScan *scan = pt_panel_get_scan (panel);
  g_autoptr(GTask) task = NULL;
  ScanData *data;

  if (scan == NULL)
    return;

  self->generation++;
  set_ready (self, FALSE);
  /* A re-scan keeps the old list on screen until the new one is ready. */
  if (self->scan == NULL)
    gtk_stack_set_visible_child_name (self->page_stack, "loading");

  data = g_new0 (ScanData, 1);
  data->scan = g_object_ref (scan);
  data->generation = self->generation;
  task = g_task_new (self, pt_panel_get_cancellable (panel), read_done_cb, NULL);
  g_task_set_source_tag (task, pt_graphics_panel_scan_changed);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);
  g_task_run_in_thread (task, read_thread_cb);
}

/* ---- The choice --------------------------------------------------------------------------- */

static void
mark_chosen (PtGraphicsPanel *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n_groups = g_list_model_get_n_items (G_LIST_MODEL (self->groups));

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const PtPciDevice *device = pt_graphics_item_get_device (value);

      pt_graphics_item_set_chosen (value, self->choice != NULL
                                          && pt_gpu_choice_contains (self->choice,
                                                                     device->address));
    }

  for (guint i = 0; i < n_groups; i++)
    {
      g_autoptr(PtGraphicsItem) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);

      pt_graphics_item_set_chosen (group, self->choice != NULL
                                          && self->choice->iommu_group >= 0
                                          && pt_graphics_item_get_group_id (group)
                                             == self->choice->iommu_group);
    }

  pt_iommu_off_page_set_choice (self->iommu_off_page, self->choice);
}

static void
update_choice (PtGraphicsPanel *self)
{
  const char *address = self->setup != NULL ? pt_setup_get_gpu (self->setup) : NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->choice, pt_gpu_choice_free);
  if (self->scan == NULL || self->usage == NULL)
    return;

  if (address != NULL)
    self->choice = pt_gpu_choice_new (self->scan, self->usage, address,
                                      pt_setup_get_single_gpu (self->setup), &error);
  pt_choice_summary_show (self->summary, address, self->choice, error);
  mark_chosen (self);
}

static void
setup_gpu_cb (PtGraphicsPanel *self)
{
  update_choice (self);
}

/* The card and "single-gpu" are all of the setup the choice depends on, and handlers of their
 * own follow them: of the base's calls, only the one for a new setup has work to do. */
static void
pt_graphics_panel_setup_changed (PtPanel *panel)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (panel);
  PtSetup *setup = pt_panel_get_setup (panel);

  if (self->setup == setup)
    return;
  /* By function: the base's own "changed" handler on the setup shares our data pointer. */
  if (self->setup != NULL)
    g_signal_handlers_disconnect_by_func (self->setup, setup_gpu_cb, self);
  g_clear_pointer (&self->single_gpu_binding, g_binding_unbind);
  g_set_object (&self->setup, setup);
  if (setup != NULL)
    {
      g_signal_connect_swapped (setup, "notify::gpu", G_CALLBACK (setup_gpu_cb), self);
      g_signal_connect_swapped (setup, "notify::single-gpu", G_CALLBACK (setup_gpu_cb), self);
      self->single_gpu_binding = g_object_bind_property (setup, "single-gpu",
                                                         self->summary, "single-gpu",
                                                         G_BINDING_BIDIRECTIONAL
                                                         | G_BINDING_SYNC_CREATE);
    }
  update_choice (self);
}

/* ---- The class ---------------------------------------------------------------------------- */

static void
pt_graphics_panel_dispose (GObject *object)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (object);

  if (self->setup != NULL)
    g_signal_handlers_disconnect_by_func (self->setup, setup_gpu_cb, self);
  g_clear_pointer (&self->single_gpu_binding, g_binding_unbind);
  g_clear_object (&self->setup);
  gtk_widget_dispose_template (GTK_WIDGET (self), PT_TYPE_GRAPHICS_PANEL);
  g_clear_object (&self->tree);
  g_clear_object (&self->groups);
  g_clear_object (&self->group_filter);
  g_clear_object (&self->device_filter);

  G_OBJECT_CLASS (pt_graphics_panel_parent_class)->dispose (object);
}

static void
pt_graphics_panel_finalize (GObject *object)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (object);

  g_clear_pointer (&self->choice, pt_gpu_choice_free);
  g_clear_pointer (&self->usage, pt_device_usage_free);
  g_clear_object (&self->scan);
  g_clear_pointer (&self->devices, g_hash_table_unref);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (pt_graphics_panel_parent_class)->finalize (object);
}

static void
pt_graphics_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PtGraphicsPanel *self = PT_GRAPHICS_PANEL (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The panel's own looks, once per display. */
static void
load_css (void)
{
  static gsize loaded = 0;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL || !g_once_init_enter (&loaded))
    return;
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/io/github/passthrough/Passthrough/"
                                                   "pt-graphics-panel.css");
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_once_init_leave (&loaded, 1);
}

static void
pt_graphics_panel_class_init (PtGraphicsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PtPanelClass *panel_class = PT_PANEL_CLASS (klass);

  object_class->dispose = pt_graphics_panel_dispose;
  object_class->finalize = pt_graphics_panel_finalize;
  object_class->get_property = pt_graphics_panel_get_property;
  panel_class->scan_changed = pt_graphics_panel_scan_changed;
  panel_class->setup_changed = pt_graphics_panel_setup_changed;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "graphics.choose", "s", choose_action_cb);
  gtk_widget_class_install_action (widget_class, "graphics.clear", NULL, clear_action_cb);

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  g_type_ensure (PT_TYPE_DEVICE_ROW);
  g_type_ensure (PT_TYPE_IOMMU_OFF_PAGE);
  g_type_ensure (PT_TYPE_CHOICE_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-graphics-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, page_stack);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, iommu_off_page);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, summary);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, gpu_only_button);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PtGraphicsPanel, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, gpu_only_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
pt_graphics_panel_init (PtGraphicsPanel *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkFilterListModel *visible_groups;

  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  self->groups = g_list_store_new (PT_TYPE_GRAPHICS_ITEM);
  self->group_filter = gtk_custom_filter_new (group_visible_cb, self, NULL);
  self->device_filter = gtk_custom_filter_new (device_visible_cb, self, NULL);
  visible_groups = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->groups)),
                                              g_object_ref (GTK_FILTER (self->group_filter)));
  /* Which groups open is up to expand_groups(). */
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (visible_groups), FALSE, FALSE,
                                        create_children_cb, self, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->list_view, factory);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  pt_panel_set_title (PT_PANEL (self), _("Graphics"));
  pt_panel_set_icon_name (PT_PANEL (self), "video-display-symbolic");
}

GtkWidget *
pt_graphics_panel_new (void)
{
  return g_object_new (PT_TYPE_GRAPHICS_PANEL, NULL);
}

gboolean
pt_graphics_panel_get_ready (PtGraphicsPanel *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_PANEL (self), FALSE);

  return self->ready;
}

const PtGpuChoice *
pt_graphics_panel_get_choice (PtGraphicsPanel *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_PANEL (self), NULL);

  return self->choice;
}

GListModel *
pt_graphics_panel_get_rows (PtGraphicsPanel *self)
{
  g_return_val_if_fail (PT_IS_GRAPHICS_PANEL (self), NULL);

  return G_LIST_MODEL (self->tree);
}
