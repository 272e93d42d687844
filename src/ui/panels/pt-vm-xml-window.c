/* pt-vm-xml-window.c: the domain XML that a define would write ("Show XML"), in monospace, with a
 * button that copies it. */

#include "config.h"

#include "pt-resources.h"
#include "pt-vm-xml-window.h"

struct _PtVmXmlWindow
{
  AdwWindow       parent_instance;

  /* template children */
  AdwWindowTitle *title;
  GtkTextView    *view;
};

G_DEFINE_FINAL_TYPE (PtVmXmlWindow, pt_vm_xml_window, ADW_TYPE_WINDOW)

static void
copy_clicked_cb (PtVmXmlWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
pt_vm_xml_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PT_TYPE_VM_XML_WINDOW);

  G_OBJECT_CLASS (pt_vm_xml_window_parent_class)->dispose (object);
}

static void
pt_vm_xml_window_class_init (PtVmXmlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pt_vm_xml_window_dispose;

  /* Naming the bundle pulls it out of the static library; its constructor registers it. */
  g_assert (pt_get_resource () != NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passthrough/Passthrough/ui/"
                                               "pt-vm-xml-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PtVmXmlWindow, title);
  gtk_widget_class_bind_template_child (widget_class, PtVmXmlWindow, view);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pt_vm_xml_window_init (PtVmXmlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pt_vm_xml_window_new (GtkWindow  *parent,
                      const char *name,
                      const char *xml)
{
  PtVmXmlWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (xml != NULL, NULL);

  self = g_object_new (PT_TYPE_VM_XML_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  adw_window_title_set_subtitle (self->title, name);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view), xml, -1);
  return GTK_WIDGET (self);
}
