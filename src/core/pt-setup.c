/* pt-setup.c: the user's choices, written by the panels and the command line, read by the
 * planners (host plan, CPU pins, domain XML). */
#include "config.h"

#include "pt-setup.h"

#include <string.h>

#include "pt-sysroot.h"

struct _PtSetup
{
  GObject parent_instance;

  char *gpu;
  gboolean single_gpu;
  guint vcpus;
  guint64 memory_mib;
  PtHugepages hugepages;
  gboolean hugepages_on_demand;
  PtGuestOs guest;
  gboolean isolate_host;
  char *name;
  char **inputs;
  char **disks;
  char **isos;
  char **usb;
  GArray *cpu_pins;   /* guint; NULL: the planner chooses */
};

enum {
  PROP_0,
  PROP_GPU,
  PROP_SINGLE_GPU,
  PROP_VCPUS,
  PROP_MEMORY_MIB,
  PROP_HUGEPAGES,
  PROP_HUGEPAGES_ON_DEMAND,
  PROP_GUEST,
  PROP_ISOLATE_HOST,
  PROP_NAME,
  PROP_INPUTS,
  PROP_DISKS,
  PROP_ISOS,
  PROP_USB,
  PROP_CPU_PINS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PtSetup, pt_setup, G_TYPE_OBJECT)

static void
pt_setup_finalize (GObject *object)
{
  PtSetup *self = PT_SETUP (object);

  g_free (self->gpu);
  g_free (self->name);
  g_strfreev (self->inputs);
  g_strfreev (self->disks);
  g_strfreev (self->isos);
  g_strfreev (self->usb);
  g_clear_pointer (&self->cpu_pins, g_array_unref);

  G_OBJECT_CLASS (pt_setup_parent_class)->finalize (object);
}

static void
pt_setup_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PtSetup *self = PT_SETUP (object);

  switch (prop_id)
    {
    case PROP_GPU: g_value_set_string (value, self->gpu); break;
    case PROP_SINGLE_GPU: g_value_set_boolean (value, self->single_gpu); break;
    case PROP_VCPUS: g_value_set_uint (value, self->vcpus); break;
    case PROP_MEMORY_MIB: g_value_set_uint64 (value, self->memory_mib); break;
    case PROP_HUGEPAGES: g_value_set_int (value, self->hugepages); break;
    case PROP_HUGEPAGES_ON_DEMAND: g_value_set_boolean (value, self->hugepages_on_demand); break;
    case PROP_GUEST: g_value_set_int (value, self->guest); break;
    case PROP_ISOLATE_HOST: g_value_set_boolean (value, self->isolate_host); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_INPUTS: g_value_set_boxed (value, self->inputs); break;
    case PROP_DISKS: g_value_set_boxed (value, self->disks); break;
    case PROP_ISOS: g_value_set_boxed (value, self->isos); break;
    case PROP_USB: g_value_set_boxed (value, self->usb); break;
    case PROP_CPU_PINS: g_value_set_boxed (value, self->cpu_pins); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_setup_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  PtSetup *self = PT_SETUP (object);

  switch (prop_id)
    {
    case PROP_GPU: pt_setup_set_gpu (self, g_value_get_string (value)); break;
    case PROP_SINGLE_GPU: pt_setup_set_single_gpu (self, g_value_get_boolean (value)); break;
    case PROP_VCPUS: pt_setup_set_vcpus (self, g_value_get_uint (value)); break;
    case PROP_MEMORY_MIB: pt_setup_set_memory_mib (self, g_value_get_uint64 (value)); break;
    case PROP_HUGEPAGES: pt_setup_set_hugepages (self, g_value_get_int (value)); break;
    case PROP_HUGEPAGES_ON_DEMAND:
      pt_setup_set_hugepages_on_demand (self, g_value_get_boolean (value));
      break;
    case PROP_GUEST: pt_setup_set_guest (self, g_value_get_int (value)); break;
    case PROP_ISOLATE_HOST: pt_setup_set_isolate_host (self, g_value_get_boolean (value)); break;
    case PROP_NAME: pt_setup_set_name (self, g_value_get_string (value)); break;
    case PROP_INPUTS: pt_setup_set_inputs (self, g_value_get_boxed (value)); break;
    case PROP_DISKS: pt_setup_set_disks (self, g_value_get_boxed (value)); break;
    case PROP_ISOS: pt_setup_set_isos (self, g_value_get_boxed (value)); break;
    case PROP_USB: pt_setup_set_usb (self, g_value_get_boxed (value)); break;
    case PROP_CPU_PINS: pt_setup_set_cpu_pins (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_setup_class_init (PtSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pt_setup_finalize;
  object_class->get_property = pt_setup_get_property;
  object_class->set_property = pt_setup_set_property;

  properties[PROP_GPU] = g_param_spec_string ("gpu", NULL, NULL, NULL, flags);
  properties[PROP_SINGLE_GPU] = g_param_spec_boolean ("single-gpu", NULL, NULL, FALSE, flags);
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 1, 4096,
                                              PT_SETUP_DEFAULT_VCPUS, flags);
  properties[PROP_MEMORY_MIB] = g_param_spec_uint64 ("memory-mib", NULL, NULL, 128,
                                                     G_MAXUINT64 / 1024,
                                                     PT_SETUP_DEFAULT_MEMORY_MIB, flags);
  properties[PROP_HUGEPAGES] = g_param_spec_int ("hugepages", NULL, NULL, PT_HUGEPAGES_OFF,
                                                 PT_HUGEPAGES_1G, PT_HUGEPAGES_OFF, flags);
  properties[PROP_HUGEPAGES_ON_DEMAND] = g_param_spec_boolean ("hugepages-on-demand", NULL, NULL,
                                                               FALSE, flags);
  properties[PROP_GUEST] = g_param_spec_int ("guest", NULL, NULL, PT_GUEST_WINDOWS,
                                             PT_GUEST_LINUX, PT_GUEST_WINDOWS, flags);
  properties[PROP_ISOLATE_HOST] = g_param_spec_boolean ("isolate-host", NULL, NULL, FALSE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, PT_SETUP_DEFAULT_NAME, flags);
  properties[PROP_INPUTS] = g_param_spec_boxed ("inputs", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_DISKS] = g_param_spec_boxed ("disks", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ISOS] = g_param_spec_boxed ("isos", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_USB] = g_param_spec_boxed ("usb", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_CPU_PINS] = g_param_spec_boxed ("cpu-pins", NULL, NULL, G_TYPE_ARRAY, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pt_setup_init (PtSetup *self)
{
  self->vcpus = PT_SETUP_DEFAULT_VCPUS;
  self->memory_mib = PT_SETUP_DEFAULT_MEMORY_MIB;
  self->name = g_strdup (PT_SETUP_DEFAULT_NAME);
  self->inputs = g_new0 (char *, 1);
  self->disks = g_new0 (char *, 1);
  self->isos = g_new0 (char *, 1);
  self->usb = g_new0 (char *, 1);
}

PtSetup *
pt_setup_new (void)
{
  return g_object_new (PT_TYPE_SETUP, NULL);
}

PtSetup *
pt_setup_copy (PtSetup *self)
{
  PtSetup *copy;

  g_return_val_if_fail (PT_IS_SETUP (self), NULL);

  /* Field by field, not through the setters: those tie the vCPU count to the CPU picks. */
  copy = pt_setup_new ();
  copy->gpu = g_strdup (self->gpu);
  copy->single_gpu = self->single_gpu;
  copy->vcpus = self->vcpus;
  copy->memory_mib = self->memory_mib;
  copy->hugepages = self->hugepages;
  copy->hugepages_on_demand = self->hugepages_on_demand;
  copy->guest = self->guest;
  copy->isolate_host = self->isolate_host;
  g_free (copy->name);
  copy->name = g_strdup (self->name);
  g_strfreev (copy->inputs);
  copy->inputs = g_strdupv (self->inputs);
  g_strfreev (copy->disks);
  copy->disks = g_strdupv (self->disks);
  g_strfreev (copy->isos);
  copy->isos = g_strdupv (self->isos);
  g_strfreev (copy->usb);
  copy->usb = g_strdupv (self->usb);
  if (self->cpu_pins != NULL)
    {
      copy->cpu_pins = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->cpu_pins->len);
      g_array_append_vals (copy->cpu_pins, self->cpu_pins->data, self->cpu_pins->len);
    }
  return copy;
}

static void
changed (PtSetup *self,
         guint    prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_string (PtSetup     *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  changed (self, prop);
}

static void
set_strv (PtSetup            *self,
          char             ***field,
          const char * const *value,
          guint               prop)
{
  const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  changed (self, prop);
}

#define SET_SCALAR(self, field, value, prop) \
  G_STMT_START {                             \
    if ((self)->field == (value))            \
      return;                                \
    (self)->field = (value);                 \
    changed ((self), (prop));                \
  } G_STMT_END

const char *
pt_setup_get_gpu (PtSetup *self)
{
  return self->gpu;
}

void
pt_setup_set_gpu (PtSetup    *self,
                  const char *address)
{
  set_string (self, &self->gpu, address, PROP_GPU);
}

gboolean
pt_setup_get_single_gpu (PtSetup *self)
{
  return self->single_gpu;
}

void
pt_setup_set_single_gpu (PtSetup  *self,
                         gboolean  single_gpu)
{
  SET_SCALAR (self, single_gpu, !!single_gpu, PROP_SINGLE_GPU);
}

guint
pt_setup_get_vcpus (PtSetup *self)
{
  return self->vcpus;
}

void
pt_setup_set_vcpus (PtSetup *self,
                    guint    vcpus)
{
  g_return_if_fail (vcpus >= 1);
  SET_SCALAR (self, vcpus, vcpus, PROP_VCPUS);
}

guint64
pt_setup_get_memory_mib (PtSetup *self)
{
  return self->memory_mib;
}

void
pt_setup_set_memory_mib (PtSetup *self,
                         guint64  memory_mib)
{
  SET_SCALAR (self, memory_mib, memory_mib, PROP_MEMORY_MIB);
}

PtHugepages
pt_setup_get_hugepages (PtSetup *self)
{
  return self->hugepages;
}

void
pt_setup_set_hugepages (PtSetup     *self,
                        PtHugepages  hugepages)
{
  SET_SCALAR (self, hugepages, hugepages, PROP_HUGEPAGES);
}

gboolean
pt_setup_get_hugepages_on_demand (PtSetup *self)
{
  return self->hugepages_on_demand;
}

void
pt_setup_set_hugepages_on_demand (PtSetup  *self,
                                  gboolean  on_demand)
{
  SET_SCALAR (self, hugepages_on_demand, !!on_demand, PROP_HUGEPAGES_ON_DEMAND);
}

PtGuestOs
pt_setup_get_guest (PtSetup *self)
{
  return self->guest;
}

void
pt_setup_set_guest (PtSetup   *self,
                    PtGuestOs  guest)
{
  SET_SCALAR (self, guest, guest, PROP_GUEST);
}

gboolean
pt_setup_get_isolate_host (PtSetup *self)
{
  return self->isolate_host;
}

void
pt_setup_set_isolate_host (PtSetup  *self,
                           gboolean  isolate_host)
{
  SET_SCALAR (self, isolate_host, !!isolate_host, PROP_ISOLATE_HOST);
}

const char *
pt_setup_get_name (PtSetup *self)
{
  return self->name;
}

void
pt_setup_set_name (PtSetup    *self,
                   const char *name)
{
  set_string (self, &self->name, name ? name : PT_SETUP_DEFAULT_NAME, PROP_NAME);
}

const char * const *
pt_setup_get_inputs (PtSetup *self)
{
  return (const char * const *) self->inputs;
}

void
pt_setup_set_inputs (PtSetup            *self,
                     const char * const *inputs)
{
  set_strv (self, &self->inputs, inputs, PROP_INPUTS);
}

const char * const *
pt_setup_get_disks (PtSetup *self)
{
  return (const char * const *) self->disks;
}

void
pt_setup_set_disks (PtSetup            *self,
                    const char * const *disks)
{
  set_strv (self, &self->disks, disks, PROP_DISKS);
}

const char * const *
pt_setup_get_isos (PtSetup *self)
{
  return (const char * const *) self->isos;
}

void
pt_setup_set_isos (PtSetup            *self,
                   const char * const *isos)
{
  set_strv (self, &self->isos, isos, PROP_ISOS);
}

const char * const *
pt_setup_get_usb (PtSetup *self)
{
  return (const char * const *) self->usb;
}

void
pt_setup_set_usb (PtSetup            *self,
                  const char * const *usb)
{
  set_strv (self, &self->usb, usb, PROP_USB);
}

GArray *
pt_setup_get_cpu_pins (PtSetup *self)
{
  return self->cpu_pins;
}

static gboolean
same_cpus (GArray *a,
           GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

void
pt_setup_set_cpu_pins (PtSetup *self,
                       GArray  *cpus)
{
  if (same_cpus (self->cpu_pins, cpus))
    return;
  g_clear_pointer (&self->cpu_pins, g_array_unref);
  if (cpus != NULL)
    {
      self->cpu_pins = g_array_sized_new (FALSE, FALSE, sizeof (guint), cpus->len);
      g_array_append_vals (self->cpu_pins, cpus->data, cpus->len);
    }
  changed (self, PROP_CPU_PINS);
}

/* Splits "8192MiB" into 8192 and "MiB". */
static gboolean
split_size (const char  *text,
            guint64     *ret_number,
            const char **ret_unit)
{
  gsize digits = 0;
  g_autofree char *number = NULL;

  while (g_ascii_isdigit (text[digits]))
    digits++;
  if (digits == 0 || digits > 18)
    return FALSE;
  number = g_strndup (text, digits);
  if (!pt_parse_uint64 (number, 10, ret_number, NULL))
    return FALSE;
  *ret_unit = text + digits;
  return TRUE;
}

gboolean
pt_parse_memory_size (const char  *text,
                      guint64     *ret_mib,
                      GError     **error)
{
  static const struct {
    const char *unit;
    guint64 mib;
  } units[] = {
    { "M", 1 }, { "MiB", 1 }, { "G", 1024 }, { "GiB", 1024 }, { "T", 1024 * 1024 },
    { "TiB", 1024 * 1024 },
  };
  const char *unit = NULL;
  guint64 number = 0;

  if (text != NULL && split_size (text, &number, &unit))
    for (guint i = 0; i < G_N_ELEMENTS (units); i++)
      if (g_str_equal (unit, units[i].unit) && number > 0 && number <= G_MAXUINT32)
        {
          *ret_mib = number * units[i].mib;
          return TRUE;
        }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "“%s” is not a memory size; write it like 8GiB, 8G, 8192MiB or 8192M",
               text ? text : "");
  return FALSE;
}

gboolean
pt_parse_hugepage_size (const char   *text,
                        PtHugepages  *ret_hugepages,
                        GError      **error)
{
  if (text != NULL && (g_str_equal (text, "2M") || g_str_equal (text, "2MiB")))
    *ret_hugepages = PT_HUGEPAGES_2M;
  else if (text != NULL && (g_str_equal (text, "1G") || g_str_equal (text, "1GiB")))
    *ret_hugepages = PT_HUGEPAGES_1G;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "“%s” is not a hugepage size; the sizes are 2M and 1G", text ? text : "");
      return FALSE;
    }
  return TRUE;
}

guint64
pt_hugepages_size_kib (PtHugepages hugepages)
{
  switch (hugepages)
    {
    case PT_HUGEPAGES_2M:
      return 2048;
    case PT_HUGEPAGES_1G:
      return 1024 * 1024;
    case PT_HUGEPAGES_OFF:
    default:
      return 0;
    }
}

const char *
pt_guest_os_to_string (PtGuestOs guest)
{
  return guest == PT_GUEST_LINUX ? "linux" : "windows";
}
